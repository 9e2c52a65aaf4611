package dev.git.webhooks.ops.audit;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.RequiresScope;
import dev.git.webhooks.api.auth.Scope;

/** {@code GET /v2/ops/audit?key_id=&action=&target=}: what operators' keys did, newest first. */
@Path("/v2/ops/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class AuditResource {

    /** An audit entry as the API shows it. */
    public record AuditView(String id, String keyId, String action, String target, String method, String path,
            String result, Integer status, Instant at, Instant finishedAt) {

        public static AuditView of(AuditEntry e) {
            return new AuditView(e.id, e.keyId, e.action, e.target, e.method, e.path, e.result, e.status, e.at,
                    e.finishedAt);
        }
    }

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    @RequiresScope(value = Scope.OPS_READ, operator = Scope.OPS_READ)
    public Page<AuditView> list(@QueryParam("key_id") String keyId, @QueryParam("action") String action,
            @QueryParam("target") String target, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.parse(limit, cursor);
        return Page.of(log.list(new AuditLog.Filter(keyId, action, target), page), page, e -> e.seq, AuditView::of);
    }
}
