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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.docs.ApiDocument;
import dev.git.webhooks.subscription.request.CreateWebhook;
import dev.git.webhooks.subscription.request.RotateSecret;
import dev.git.webhooks.subscription.request.UpdateWebhook;

/** {@code /v2/webhooks}: an owner's endpoints. Another owner's ids answer 404. */
@Path("/v2/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class WebhookResource {

    private final WebhookEndpoints endpoints;
    private final CallerContext caller;

    public WebhookResource(WebhookEndpoints endpoints, CallerContext caller) {
        this.endpoints = endpoints;
        this.caller = caller;
    }

    @POST
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    @Operation(summary = "Create an endpoint; the answer shows its secret, this once.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateWebhook.class),
            examples = @ExampleObject(name = "create", value = """
                    {"url":"https://ci.example.com/hooks/git-dev","events":["repo.push","deploy.failed"],\
                    "repos":["acme/api"],"description":"CI of acme/api"}""")))
    @APIResponse(responseCode = "201", description = "Created, with its secret.",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    // no @Valid: the body's constraints are checked in create, with the checks that need more than a field, so that
    // one answer names every problem
    public Response create(@NotNull(message = JSON_OBJECT) CreateWebhook body) {
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
    @Operation(summary = "Change the fields given; absent ones stay as they are.", description = "null clears "
            + "repos, description, rate_limit, headers, filter, ordering, auth and tls_client_certificate, and sets "
            + "max_concurrency back to the default.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = UpdateWebhook.class),
            examples = @ExampleObject(name = "pause", value = "{\"active\":false,\"repos\":null}")))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    @APIResponse(responseCode = "200", description = "Changed.",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    public WebhookView update(@PathParam("id") String id,
            @Valid @NotNull(message = JSON_OBJECT) UpdateWebhook body) {
        return WebhookView.of(endpoints.update(caller.owner(), id, body));
    }

    @DELETE
    @Path("/{id}")
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    @APIResponse(responseCode = "204", description = "Deleted; its pending deliveries stop.")
    public Response delete(@PathParam("id") String id) {
        endpoints.delete(caller.owner(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate-secret")
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    @Operation(summary = "A new signing secret; the old one keeps signing for the grace period.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = RotateSecret.class),
            examples = @ExampleObject(name = "an hour", value = "{\"grace_period_seconds\":3600}")))
    @APIResponse(responseCode = "200", description = "Rotated, with the new secret.",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public WebhookView rotate(@PathParam("id") String id, @Valid RotateSecret body) {
        WebhookEndpoints.WithSecret rotated = endpoints.rotate(caller.owner(), id,
                body == null ? RotateSecret.DEFAULTS : body);
        return WebhookView.of(rotated.endpoint(), rotated.secret());
    }
}
