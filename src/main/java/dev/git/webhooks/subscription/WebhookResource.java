package dev.git.webhooks.subscription;

import static dev.git.webhooks.api.body.Bodies.JSON_OBJECT;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;


import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.subscription.request.CreateWebhook;
import dev.git.webhooks.subscription.request.RotateSecret;
import dev.git.webhooks.subscription.request.UpdateWebhook;

/** {@code /v2/webhooks}: an owner's endpoints. Another owner's ids answer 404. */
@Path("/v2/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookEndpoints endpoints;
    private final CallerContext caller;

    public WebhookResource(WebhookEndpoints endpoints, CallerContext caller) {
        this.endpoints = endpoints;
        this.caller = caller;
    }

    @POST
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    public Response create(@Valid @NotNull(message = JSON_OBJECT) CreateWebhook body) {
        WebhookEndpoints.WithSecret created = endpoints.create(caller.owner(), body);
        return Response.status(201).entity(WebhookView.of(created.endpoint(), created.secret())).build();
    }

    /** An owner's endpoints; an operator's key sees every owner's, or those of {@code ?owner=}. */
    @GET
    @RequiresScope(value = Scope.WEBHOOKS_READ, operator = Scope.OPS_READ)
    public Page<WebhookView> list(@QueryParam("owner") String owner, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        return Page.of(endpoints.list(caller.ownerFilter(owner), page), page, e -> e.seq, WebhookView::of);
    }

    @GET
    @Path("/{id}")
    @RequiresScope(value = Scope.WEBHOOKS_READ, operator = Scope.OPS_READ)
    public WebhookView get(@PathParam("id") String id) {
        return WebhookView.of(endpoints.get(caller.ownerOf(id, endpoints::ownerOf, "webhook"), id));
    }

    @PATCH
    @Path("/{id}")
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    public WebhookView update(@PathParam("id") String id,
            @Valid @NotNull(message = JSON_OBJECT) UpdateWebhook body) {
        return WebhookView.of(endpoints.update(caller.owner(), id, body));
    }

    @DELETE
    @Path("/{id}")
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    public Response delete(@PathParam("id") String id) {
        endpoints.delete(caller.owner(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate-secret")
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    public WebhookView rotate(@PathParam("id") String id, @Valid RotateSecret body) {
        WebhookEndpoints.WithSecret rotated = endpoints.rotate(caller.owner(), id,
                body == null ? RotateSecret.DEFAULTS : body);
        return WebhookView.of(rotated.endpoint(), rotated.secret());
    }
}
