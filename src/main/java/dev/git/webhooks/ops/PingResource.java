package dev.git.webhooks.ops;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.docs.ApiDocument;

/** {@code POST /v2/webhooks/{id}/ping}: sends a ping delivery now and answers its id. */
@Path("/v2/webhooks/{id}/ping")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class PingResource {

    private final Pings pings;
    private final CallerContext caller;

    public PingResource(Pings pings, CallerContext caller) {
        this.pings = pings;
        this.caller = caller;
    }

    @POST
    @RequiresScope(Scope.WEBHOOKS_WRITE)
    @APIResponse(responseCode = "202", description = "Sent: the ping delivery and its event.",
            content = @Content(schema = @Schema(implementation = Pings.Sent.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response ping(@PathParam("id") String id) {
        return Response.accepted(pings.ping(caller.owner(), id)).build();
    }
}
