package dev.git.webhooks.ops.console.operator;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.ops.EnableResource;
import dev.git.webhooks.ops.audit.AuditEntry;
import dev.git.webhooks.ops.audit.AuditLog;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Problems;
import dev.git.webhooks.ops.console.SignIn;
import dev.git.webhooks.ops.console.text.FormTimes;
import dev.git.webhooks.ops.console.text.Links;
import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.health.EndpointLists;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /console/audit} (operators): every action taken with an operator's key, newest first, by key (named as it
 * was when it acted), action, target and time (from and to, UTC), with what each action did. The list has no
 * default window: with no times it goes back to the first entry kept.
 */
@Path("/console/audit")
public class AuditPage {

    /** The actions an operator's key can take, as the audit log names them. */
    static final List<String> ACTIONS = List.of("webhook.disable", "webhook.enable", EnableResource.ENABLE_AND_REPLAY,
            "webhook.replay", "webhook.recover", "replay.bulk", Audited.REPLAY_DRY_RUN, "replay.cancel",
            "delivery.redeliver",
            "dead_letter.redrive", "dead_letter.discard", SignIn.SIGN_OUT);

    /** The list's filters as typed. */
    @io.quarkus.qute.TemplateData
    public record Filter(String keyId, String action, String target, String since, String until) {

        public List<String> actions() {
            return ACTIONS;
        }

        /** Whether any filter narrows the list. */
        public boolean any() {
            return Links.query(params()).length() > 0;
        }

        String query() {
            return Links.query(params());
        }

        private Map<String, String> params() {
            Map<String, String> params = new java.util.LinkedHashMap<>();
            params.put("key_id", keyId);
            params.put("action", action);
            params.put("target", target);
            params.put("since", since);
            params.put("until", until);
            return params;
        }

        /** The filter as the log reads it; a time that is not one is a problem of its field. */
        AuditLog.Filter parse() {
            FieldChecks checks = new FieldChecks();
            TimeRange range = TimeRange.parse(FormTimes.utc(since), FormTimes.utc(until), checks);
            checks.throwIfAny();
            return new AuditLog.Filter(keyId, action, target, range.since(), range.until());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(Chrome chrome, List<AuditEntry> rows, Filter filter,
                List<AuditLog.Actor> actors, String next, String query, Problems problems,
                Map<String, EndpointLists.Label> labels);
    }

    private final Pages pages;
    private final AuditLog log;
    private final EndpointLists endpoints;

    public AuditPage(Pages pages, AuditLog log, EndpointLists endpoints) {
        this.pages = pages;
        this.log = log;
        this.endpoints = endpoints;
    }

    @GET
    public Response list(@QueryParam("key_id") String keyId, @QueryParam("action") String action,
            @QueryParam("target") String target, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("cursor") String cursor) {
        Filter filter = new Filter(keyId, action, target, since, until);
        return pages.page(() -> {
            pages.operatorsOnly();
            pages.require(Scope.OPS_READ, Scope.OPS_READ);
            PageRequest page = PageRequest.parse(null, cursor);
            Page<AuditEntry> found = Page.of(log.list(filter.parse(), page), page, e -> e.seq, e -> e);
            // an endpoint target is shown by its name too (deleted ones by their id alone)
            var labels = endpoints.labels(found.data().stream().map(e -> e.target)
                    .filter(t -> t != null && t.startsWith("wh_")).toList());
            return Templates.audit(pages.chrome("Audit log", "audit", null), found.data(), filter, log.actors(),
                    found.pagination().nextCursor(), filter.query(), Problems.NONE, labels);
        }, problems -> Templates.audit(pages.chrome("Audit log", "audit", null), List.of(), filter, log.actors(),
                null, null, problems, Map.of()));
    }
}
