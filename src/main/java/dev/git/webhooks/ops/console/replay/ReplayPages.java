package dev.git.webhooks.ops.console.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.common.Names;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ops.DeliveryFilter;
import dev.git.webhooks.ops.OpsViews.ReplayView;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.AuditContext;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Done;
import dev.git.webhooks.ops.console.text.FormTimes;
import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Problems;
import dev.git.webhooks.ops.console.text.Links;
import dev.git.webhooks.ops.console.replay.RunRows.RunRow;
import dev.git.webhooks.ops.health.words.Counts;
import dev.git.webhooks.ops.health.EndpointLists;
import dev.git.webhooks.ops.replay.ReplayControl;
import dev.git.webhooks.ops.replay.ReplayRuns;
import dev.git.webhooks.ops.replay.ReplayRuns.Run;
import dev.git.webhooks.subscription.EventTypes;
import dev.git.webhooks.subscription.WebhookEndpoint;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /console/replays}: start a replay over one owner's endpoints (all, or one) by filter, always through a dry
 * run that shows the count first; the replays started, one row per request (a bulk request over many endpoints is
 * one run), dry runs apart, filtered by state and creation time (no default window). This page never reloads itself: a replay's own page follows its progress in a frame,
 * so that nothing being typed here is lost.
 */
@Path("/console/replays")
public class ReplayPages {

    /** What to replay, as typed in the form. */
    @TemplateData
    public record Request(String owner, String webhook, String status, String event, String since, String until) {

        public List<String> eventTypes() {
            List<String> types = new ArrayList<>(EventTypes.ALL);
            types.addAll(EventTypes.SYSTEM);
            return types;
        }
    }

    /**
     * Which replays the list shows, as typed: an owner's (operators), an endpoint's, in a state, created from and to
     * (UTC). The list has no default window.
     */
    @TemplateData
    public record Shown(String owner, String webhook, String state, String since, String until) {

        public List<String> states() {
            return ReplayControl.STATES;
        }

        /** Whether a state or a time narrows the list (the owner and endpoint are kept apart, as hidden fields). */
        public boolean narrowed() {
            return state != null || since != null || until != null;
        }

        /** What the "Older" link carries. */
        public String query() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("owner", owner);
            params.put("webhook", webhook);
            params.put("state", state);
            params.put("since", since);
            params.put("until", until);
            return Links.query(params);
        }

        /** The creation times as the list reads them; a state or a time that is not one is a problem of its field. */
        TimeRange created() {
            return ReplayControl.checkedFilter(state, FormTimes.utc(since), FormTimes.utc(until));
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance replays(Chrome chrome, List<RunRow> runs, List<RunRow> dryRuns,
                Request request, List<WebhookEndpoint> endpoints, String next, Shown shown, Problems problems,
                Problems listProblems, String webhookName);

        static native TemplateInstance preview(Chrome chrome, List<ReplayView> rows, long total,
                List<ReplayControl.Skipped> skipped, Request request, Map<String, EndpointLists.Label> names);
    }

    private final Pages pages;
    private final ReplayControl control;
    private final ReplayRuns runs;
    private final RunRows rows;
    private final EndpointLists endpoints;
    private final Owners owners;
    private final CallerContext caller;
    private final AuditContext audit;

    public ReplayPages(Pages pages, ReplayControl control, ReplayRuns runs, RunRows rows, EndpointLists endpoints,
            Owners owners, CallerContext caller, AuditContext audit) {
        this.pages = pages;
        this.control = control;
        this.runs = runs;
        this.rows = rows;
        this.endpoints = endpoints;
        this.owners = owners;
        this.caller = caller;
        this.audit = audit;
    }

    @GET
    public Response list(@QueryParam("owner") String owner, @QueryParam("webhook") String webhook,
            @QueryParam("state") String state, @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("cursor") String cursor, @QueryParam("notice") String notice) {
        Request request = new Request(caller.operator() ? ownerOrEndpoints(owner, webhook) : null, webhook, "failed",
                null, null, null);
        Shown shown = new Shown(caller.operator() ? blank(owner) : null, blank(webhook), blank(state), blank(since),
                blank(until));
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            return page(request, shown, cursor, notice, Problems.NONE);
        }, listProblems -> Templates.replays(pages.chrome("Replays", "replays", null), List.of(), List.of(), request,
                choices(), null, shown, Problems.NONE, listProblems, nameOf(shown.webhook())));
    }

    /** The page after a start form with problems: the list as it shows without filters. */
    private TemplateInstance page(Request request, Problems problems) {
        return page(request, new Shown(caller.operator() ? blank(request.owner()) : null, blank(request.webhook()),
                null, null, null), null, null, problems);
    }

    private TemplateInstance page(Request request, Shown shown, String cursor, String notice, Problems problems) {
        TimeRange created = shown.created();
        PageRequest page = PageRequest.parse(null, cursor);
        String ownerFilter = caller.ownerFilter(shown.owner());
        String webhook = shown.webhook();
        List<Run> found = runs.list(ownerFilter, webhook, false, shown.state(), created, page);
        PageRequest recent = PageRequest.parse("10", null);
        List<Run> dry = Page.of(runs.list(ownerFilter, webhook, true, shown.state(), created, recent), recent,
                Run::seq, r -> r).data();
        var pageOf = Page.of(found, page, Run::seq, r -> r);
        return Templates.replays(pages.chrome("Replays", "replays", notice), rows.of(pageOf.data()), rows.of(dry),
                request, choices(), pageOf.pagination().nextCursor(), shown, problems, Problems.NONE,
                nameOf(webhook));
    }

    @POST
    @Path("/preview")
    @Audited(Audited.REPLAY_DRY_RUN)
    public Response preview(@FormParam("owner") String owner, @FormParam("webhook") String webhook,
            @FormParam("status") String status, @FormParam("event") String event, @FormParam("since") String since,
            @FormParam("until") String until, @FormParam("_csrf") String csrf) {
        Request request = new Request(owner, webhook, status, event, since, until);
        return pages.form(csrf, () -> {
            ReplayControl.Bulk bulk = run(request, true);
            audit.outcome("Dry run: " + Counts.deliveries(bulk.total()) + " would be sent");
            List<ReplayView> replays = bulk.replays().stream().map(ReplayView::of).toList();
            return Templates.preview(pages.chrome("Replay: dry run", "replays", null), replays, bulk.total(),
                    bulk.skipped(), request, endpoints.labels(replays.stream().map(ReplayView::webhookId).toList()));
        }, problems -> page(request, problems));
    }

    @POST
    @Audited("replay.bulk")
    public Response start(@FormParam("owner") String owner, @FormParam("webhook") String webhook,
            @FormParam("status") String status, @FormParam("event") String event, @FormParam("since") String since,
            @FormParam("until") String until, @FormParam("_csrf") String csrf) {
        Request request = new Request(owner, webhook, status, event, since, until);
        return pages.action(csrf, () -> {
            ReplayControl.Bulk bulk = run(request, false);
            return Done.accepted("/console/replays/" + bulk.batchId() + "?notice=replaying", "Replaying "
                    + Counts.deliveries(bulk.total()) + " over " + Counts.of(bulk.replays().size(), "endpoint", null)
                    + " as " + bulk.batchId());
        }, problems -> page(request, problems));
    }

    private ReplayControl.Bulk run(Request r, boolean dryRun) {
        pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
        String owner = caller.operator() ? blank(r.owner()) : caller.owner();
        String webhook = blank(r.webhook());
        FieldChecks checks = new FieldChecks();
        if (owner == null && webhook != null) {
            owner = ownerOrEndpoints(null, webhook);
            checks.check(owner != null, "webhook", "has no endpoint with this id");
        }
        if (!checks.failed("webhook")) {
            checks.check(owner != null && Names.isOwner(owner), "owner", "is required: whose endpoints to replay");
        }
        DeliveryFilter filter = DeliveryFilter.parseReplay(blank(r.status()) == null ? "failed" : r.status(),
                blank(r.event()) == null ? List.of() : List.of(r.event().trim()), FormTimes.utc(r.since()),
                FormTimes.utc(r.until()), checks);
        checks.throwIfAny();
        audit.target("owner:" + owner);
        ReplayControl.Bulk bulk;
        try {
            bulk = control.bulk(owner, webhook == null ? List.of() : List.of(webhook), filter, dryRun);
        } catch (Refusal e) {
            // an operator's typo: the form again, with the field named (a customer picks from its own endpoints,
            // so another id is not found, as everywhere)
            if (e.reason() == Refusal.Reason.NOT_FOUND && webhook != null && caller.operator()) {
                throw ApiException.invalid("webhook", "is not an endpoint of " + owner);
            }
            throw e;
        }
        if (!dryRun && bulk.replays().isEmpty()) {
            throw Refusal.conflict("None of these endpoints takes deliveries now; enable them first.");
        }
        return bulk;
    }

    /** A customer picks one of its endpoints by name; an operator types an id. */
    private List<WebhookEndpoint> choices() {
        return caller.operator() ? List.of() : endpoints.choices(caller.owner());
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * The owner an operator's replay form starts with: the one given, else the owner of the endpoint given (a link
     * from an endpoint's page names the endpoint only), else none, for the operator to type.
     */
    private String ownerOrEndpoints(String owner, String webhook) {
        if (blank(owner) != null || blank(webhook) == null) {
            return owner;
        }
        try {
            return owners.ofEndpoint(webhook);
        } catch (ApiException e) {
            return null; // no such endpoint: the form asks, and the dry run says what is wrong
        }
    }

    /** What people call the endpoint whose replays are listed (its description, else its URL); null: none, or gone. */
    private String nameOf(String webhook) {
        if (webhook == null || (!caller.operator() && WebhookEndpoint.findOwned(caller.owner(), webhook) == null)) {
            return null; // another owner's endpoint is not named to a customer
        }
        EndpointLists.Label label = endpoints.labels(List.of(webhook)).get(webhook);
        return label == null ? null : label.name();
    }
}
