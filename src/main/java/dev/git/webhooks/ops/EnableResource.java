package dev.git.webhooks.ops;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.docs.ApiDocument;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.AuditContext;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.request.EnableRequest;
import dev.git.webhooks.subscription.WebhookView;

/**
 * {@code POST /v2/webhooks/{id}/enable}: an auto-disabled endpoint takes deliveries again; with
 * {@code {"replay_failed": true}} its failed deliveries are replayed as well (that needs {@code deliveries:replay}).
 */
@Path("/v2/webhooks/{id}/enable")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class EnableResource {

    /** The endpoint, and the replay of its failed deliveries when one was asked for. */
    public record Enabled(WebhookView webhook,
            @Schema(description = "The replay of its failed deliveries (replay_failed) or the recover "
                    + "(recover_since), when one was asked for.")
            ReplayView replay) {
    }

    /** The audit log's action of an enable that also replays the failed deliveries. */
    public static final String ENABLE_AND_REPLAY = "webhook.enable_and_replay";

    private final EndpointEnabling enabling;
    private final CallerContext caller;
    private final Owners owners;
    private final AuditContext audit;
    private final Replays replays;

    public EnableResource(EndpointEnabling enabling, CallerContext caller, Owners owners, AuditContext audit,
            Replays replays) {
        this.enabling = enabling;
        this.replays = replays;
        this.caller = caller;
        this.owners = owners;
        this.audit = audit;
    }

    @POST
    @Audited("webhook.enable")
    @RequiresScope(value = Scope.WEBHOOKS_WRITE, operator = Scope.OPS_REPLAY)
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = EnableRequest.class),
            examples = @ExampleObject(name = "and replay", value = "{\"replay_failed\":true}")))
    @APIResponse(responseCode = "200", description = "The webhook, and the replay or recover started if one was asked "
            + "for.", content = @Content(schema = @Schema(implementation = Enabled.class)))
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Enabled enable(@PathParam("id") String id, @Valid EnableRequest body) {
        boolean replayFailed = body != null && body.replay();
        Instant recoverSince = null;
        if (body != null && body.recoverSince() != null) {
            FieldChecks checks = new FieldChecks();
            TimeRange.refuseBlank(body.recoverSince(), "recover_since", checks);
            recoverSince = TimeRange.time(body.recoverSince(), "recover_since", checks);
            if (!checks.failed("recover_since")) {
                replays.checkReach(checks, "recover_since", recoverSince);
            }
            // a recover replays the failures of its window, not the older ones replay_failed would: one or the other
            checks.check(!replayFailed, "replay_failed", "Give replay_failed or recover_since, not both: a recover "
                    + "replays the failed deliveries since recover_since too.");
            checks.throwIfAny();
        }
        if (replayFailed || recoverSince != null) {
            audit.action(ENABLE_AND_REPLAY);
            caller.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
        }
        return enabling.enable(owners.ofEndpoint(id), id, replayFailed, recoverSince);
    }
}
