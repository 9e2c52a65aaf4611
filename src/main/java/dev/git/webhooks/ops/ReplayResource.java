package dev.git.webhooks.ops;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.docs.ApiDocument;
import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.AuditContext;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.request.ReplayRequest;

/** {@code POST /v2/webhooks/{id}/replay}: a bulk replay in the background; {@code dry_run} only counts. */
@Path("/v2/webhooks/{id}/replay")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Replays")
public class ReplayResource {

    private final Replays replays;
    private final Owners owners;
    private final AuditContext audit;

    public ReplayResource(Replays replays, Owners owners, AuditContext audit) {
        this.replays = replays;
        this.owners = owners;
        this.audit = audit;
    }

    @POST
    @Audited("webhook.replay")
    @RequiresScope(value = Scope.DELIVERIES_REPLAY, operator = Scope.OPS_REPLAY)
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = ReplayRequest.class),
            examples = @ExampleObject(name = "failed since", value = """
                    {"status":"failed","since":"2025-01-20T14:35:22Z","events":["deploy.failed"]}""")))
    @APIResponse(responseCode = "202", description = "The replay, running in the background.",
            content = @Content(schema = @Schema(implementation = ReplayView.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response replay(@PathParam("id") String id, @Valid ReplayRequest body) {
        ReplayRequest request = body == null ? ReplayRequest.DEFAULTS : body;
        if (request.dry()) {
            audit.action(Audited.REPLAY_DRY_RUN);
        }
        return Response.accepted(ReplayView.of(replays.create(owners.ofEndpoint(id), id, request))).build();
    }
}
