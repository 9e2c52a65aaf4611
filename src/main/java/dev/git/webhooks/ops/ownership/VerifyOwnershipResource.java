package dev.git.webhooks.ops.ownership;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.docs.ApiDocument;
import dev.git.webhooks.subscription.WebhookEndpoints;
import dev.git.webhooks.subscription.WebhookView;

/**
 * {@code POST /v2/webhooks/{id}/verify-ownership}: checks the endpoint's ownership again (after a failed check, once
 * the receiver answers the challenge); the check runs in the background within its timeout.
 */
@Path("/v2/webhooks/{id}/verify-ownership")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class VerifyOwnershipResource {

    private final WebhookEndpoints endpoints;
    private final CallerContext caller;

    public VerifyOwnershipResource(WebhookEndpoints endpoints, CallerContext caller) {
        this.endpoints = endpoints;
        this.caller = caller;
    }

    @POST
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    @Operation(summary = "Send the ownership challenge again; the endpoint gets no events until it is answered.")
    @APIResponse(responseCode = "202", description = "Pending: the challenge is on its way (ownership.state).",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response verify(@PathParam("id") String id) {
        return Response.accepted(WebhookView.of(endpoints.verifyOwnership(caller.owner(), id))).build();
    }
}
