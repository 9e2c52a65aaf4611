package dev.git.webhooks.ops.console.operator;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.audit.AuditEntry;
import dev.git.webhooks.ops.audit.AuditLog;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /console/audit} (operators): every action taken with an operator's key, newest first. */
@Path("/console/audit")
public class AuditPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(Chrome chrome, List<AuditEntry> rows, String target, String next);
    }

    private final Pages pages;
    private final AuditLog log;

    public AuditPage(Pages pages, AuditLog log) {
        this.pages = pages;
        this.log = log;
    }

    @GET
    public Response list(@QueryParam("target") String target, @QueryParam("cursor") String cursor) {
        return pages.page(() -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_READ, Scope.OPS_READ);
            PageRequest page = PageRequest.parse(null, cursor);
            var found = dev.git.webhooks.api.Page.of(log.list(new AuditLog.Filter(null, null, target), page), page,
                    e -> e.seq, e -> e);
            return Templates.audit(pages.chrome("Audit log", "audit", null, 0), found.data(), target,
                    found.pagination().nextCursor());
        });
    }
}
