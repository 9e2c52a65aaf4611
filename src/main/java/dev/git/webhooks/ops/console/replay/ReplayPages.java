package dev.git.webhooks.ops.console.replay;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Links;
import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.common.Names;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ops.DeliveryFilter;
import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.AuditContext;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.replay.ReplayControl;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /console/replays}: start a replay over one owner's endpoints (all, or one) by filter, always through a dry
 * run that shows the count first; follow its progress (the page reloads itself while a replay runs); cancel.
 */
@Path("/console/replays")
public class ReplayPages {

    /** What to replay, as typed in the form. */
    @io.quarkus.qute.TemplateData
    public record Request(String owner, String webhook, String status, String event, String since, String until) {
    }

    /** The progress of the replays followed (a batch, or an endpoint's), as a whole. */
    @io.quarkus.qute.TemplateData
    public record Progress(long total, long processed, long percent, boolean active) {

        static Progress of(ReplayControl.Progress p) {
            return new Progress(p.total(), p.processed(),
                    p.total() == 0 ? 100 : Math.round(100.0 * p.processed() / p.total()), p.active());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance replays(Chrome chrome, List<ReplayView> rows, Progress progress,
                Request request, String batch, String next, String query);

        static native TemplateInstance preview(Chrome chrome, List<ReplayView> rows, long total,
                List<ReplayControl.Skipped> skipped, Request request);
    }

    private final Pages pages;
    private final ReplayControl control;
    private final Owners owners;
    private final CallerContext caller;
    private final AuditContext audit;

    public ReplayPages(Pages pages, ReplayControl control, Owners owners, CallerContext caller, AuditContext audit) {
        this.pages = pages;
        this.control = control;
        this.owners = owners;
        this.caller = caller;
        this.audit = audit;
    }

    @GET
    public Response list(@QueryParam("owner") String owner, @QueryParam("webhook") String webhook,
            @QueryParam("batch") String batch, @QueryParam("cursor") String cursor,
            @QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            PageRequest page = PageRequest.parse(null, cursor);
            String ownerFilter = caller.ownerFilter(owner);
            var found = dev.git.webhooks.api.Page.of(control.list(ownerFilter, webhook, batch, page),
                    page, r -> r.seq, ReplayView::of);
            boolean follow = blank(batch) != null || blank(webhook) != null;
            Progress progress = follow ? Progress.of(control.progress(ownerFilter, webhook, batch)) : null;
            boolean active = follow ? progress.active() : found.data().stream().anyMatch(ReplayView::active);
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("owner", caller.operator() ? owner : null);
            filters.put("webhook", webhook);
            filters.put("batch", batch);
            return Templates.replays(pages.chrome("Replays", "replays", notice, active ? 2 : 0),
                    found.data(), progress, new Request(caller.operator() ? owner : null, webhook,
                            "failed", null, null, null), batch, found.pagination().nextCursor(),
                    Links.query(filters));
        });
    }

    @POST
    @Path("/preview")
    @Audited("replay.dry_run")
    public Response preview(@FormParam("owner") String owner, @FormParam("webhook") String webhook,
            @FormParam("status") String status, @FormParam("event") String event, @FormParam("since") String since,
            @FormParam("until") String until, @FormParam("_csrf") String csrf) {
        return pages.form(csrf, () -> {
            Request request = new Request(owner, webhook, status, event, since, until);
            ReplayControl.Bulk bulk = run(request, true);
            return Templates.preview(pages.chrome("Replay: dry run", "replays", null, 0),
                    bulk.replays().stream().map(ReplayView::of).toList(), bulk.total(), bulk.skipped(), request);
        });
    }

    @POST
    @Audited("replay.bulk")
    public Response start(@FormParam("owner") String owner, @FormParam("webhook") String webhook,
            @FormParam("status") String status, @FormParam("event") String event, @FormParam("since") String since,
            @FormParam("until") String until, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            ReplayControl.Bulk bulk = run(new Request(owner, webhook, status, event, since, until), false);
            return URI.create("/console/replays?batch=" + bulk.batchId() + "&notice=replaying");
        });
    }

    @POST
    @Path("/{id}/cancel")
    @Audited("replay.cancel")
    public Response cancel(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            ReplayView cancelled = ReplayView.of(control.cancel(owners.ofReplay(id), id));
            return URI.create("/console/replays?webhook=" + cancelled.webhookId() + "&notice=cancelled");
        });
    }

    private ReplayControl.Bulk run(Request r, boolean dryRun) {
        pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
        String owner = caller.operator() ? blank(r.owner()) : caller.owner();
        String webhook = blank(r.webhook());
        if (owner == null && webhook != null) {
            owner = owners.ofEndpoint(webhook);
        }
        FieldChecks checks = new FieldChecks();
        checks.check(owner != null && Names.isOwner(owner), "owner", "is required: whose endpoints to replay");
        DeliveryFilter filter = DeliveryFilter.parseReplay(blank(r.status()) == null ? "failed" : r.status(),
                blank(r.event()) == null ? List.of() : List.of(r.event().trim()), blank(r.since()), blank(r.until()),
                checks);
        checks.throwIfAny();
        audit.target("owner:" + owner);
        ReplayControl.Bulk bulk = control.bulk(owner, webhook == null ? List.of() : List.of(webhook), filter, dryRun);
        if (!dryRun && bulk.replays().isEmpty()) {
            throw Refusal.conflict("None of these endpoints takes deliveries now; enable them first.");
        }
        return bulk;
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
