package dev.git.webhooks.ops.audit;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;

/**
 * {@code GET /v2/ops/audit?key_id=&action=&target=&since=&until=}: what operators' keys did, newest first;
 * {@code since} and {@code until} bound the time each action started.
 */
@Path("/v2/ops/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class AuditResource {

    /** An audit entry as the API shows it. */
    public record AuditView(@Schema(example = "aud_01jq9k2m7x3c5v8b4n6p0r2t4w") String id,
            @Schema(example = "key_01jq8z3k5m7p9r1t3v5x7z9b1d") String keyId,
            @Schema(example = "on-call", description = "The key's name when it acted (kept after it is revoked).")
            String keyName,
            @Schema(example = "dead_letter.redrive") String action,
            @Schema(example = "dlq_01jq9k1a2b3c4d5e6f7g8h9j0k") String target,
            @Schema(example = "POST") String method,
            @Schema(example = "/v2/ops/dead-letters/dlq_01jq9k1a2b3c4d5e6f7g8h9j0k/redrive") String path,
            @Schema(example = "succeeded") String result, @Schema(example = "200") Integer status,
            @Schema(example = "Published back to deploy.failed", description = "What the action did, in words, "
                    + "when it said.") String outcome,
            @Schema(example = "2026-11-25T10:15:30Z") Instant at,
            @Schema(example = "2026-11-25T10:15:30.042Z") Instant finishedAt) {

        public static AuditView of(AuditEntry e) {
            return new AuditView(e.id, e.keyId, e.keyName, e.action, e.target, e.method, e.path, e.result, e.status,
                    e.outcome, e.at, e.finishedAt);
        }
    }

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    @RequiresScope(value = Scope.OPS_READ, operator = Scope.OPS_READ)
    public Page<AuditView> list(@QueryParam("key_id") String keyId, @QueryParam("action") String action,
            @QueryParam("target") String target,
            @Parameter(description = "Only actions started at or after this time (RFC 3339).")
            @QueryParam("since") String since,
            @Parameter(description = "Only actions started before this time (RFC 3339).")
            @QueryParam("until") String until,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        FieldChecks checks = new FieldChecks();
        TimeRange range = TimeRange.parse(since, until, checks);
        checks.throwIfAny();
        return Page.of(log.list(new AuditLog.Filter(keyId, action, target, range.since(), range.until()), page),
                page, e -> e.seq, AuditView::of);
    }
}
