package dev.git.webhooks.ops;

import java.time.Instant;

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

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.docs.ApiDocument;
import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.request.RecoverRequest;

/** {@code POST /v2/webhooks/{id}/recover}: the events the endpoint missed in a window, and its failures of them. */
@Path("/v2/webhooks/{id}/recover")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Replays")
public class RecoverResource {

    private final Replays replays;
    private final Owners owners;

    public RecoverResource(Replays replays, Owners owners) {
        this.replays = replays;
        this.owners = owners;
    }

    /**
     * Every event of the owner received in {@code [since, until)} that the endpoint subscribes to and never got (it
     * was disabled, inactive, or filtered it out then) is delivered to it, and its failed deliveries of them are
     * replayed: a replay in the background ({@code rpl_…}, progress at {@code GET /v2/replays/{id}}). Run again over
     * the same window, it sends nothing twice.
     */
    @POST
    @Audited("webhook.recover")
    @RequiresScope(value = Scope.DELIVERIES_REPLAY, operator = Scope.OPS_REPLAY)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RecoverRequest.class),
            examples = @ExampleObject(name = "since", value = """
                    {"since":"2025-01-20T14:35:22Z"}""")))
    @APIResponse(responseCode = "202", description = "The recover, running in the background.",
            content = @Content(schema = @Schema(implementation = ReplayView.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response recover(@PathParam("id") String id, RecoverRequest body) {
        FieldChecks checks = new FieldChecks();
        checks.check(body != null && body.since() != null, "since", "is required (RFC 3339)");
        if (body != null) {
            TimeRange.refuseBlank(body.since(), "since", checks);
            TimeRange.refuseBlank(body.until(), "until", checks);
        }
        DeliveryFilter window = DeliveryFilter.read(null, null, "events", body == null ? null : body.since(),
                body == null ? null : body.until(), checks);
        if (!checks.failed("since")) {
            replays.checkReach(checks, "since", window.since());
        }
        checks.throwIfAny();
        Instant until = window.until() == null ? Instant.now() : window.until();
        return Response.accepted(ReplayView.of(replays.recover(owners.ofEndpoint(id), id, window.since(), until)))
                .build();
    }
}
