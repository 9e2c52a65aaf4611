package dev.git.webhooks.ops.console.replay;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.Page;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ops.Replay;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Done;
import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.replay.RunRows.RunRow;
import dev.git.webhooks.ops.health.words.Counts;
import dev.git.webhooks.ops.health.EndpointLists;
import dev.git.webhooks.ops.replay.ReplayControl;
import dev.git.webhooks.ops.replay.ReplayRuns;
import dev.git.webhooks.ops.replay.ReplayRuns.Run;
import dev.git.webhooks.outbox.ActivityViews.Copies;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * One replay run ({@code rpl_…}, or a bulk request's {@code rpb_…}): its filter, its endpoints, what it copied and
 * what became of the copies, and cancel (after a page that says what stops and what is still sent). While it runs,
 * the progress is a frame ({@code /console/replays/{id}/progress}) that reloads itself every 2 seconds, alone: the
 * page around it, and anything typed there, stays as it is, and the frame has a link to stop updating (WCAG 2.2.2).
 */
@Path("/console/replays")
public class ReplayPage {

    /** A replay of a batch with its endpoint's name and its copies. */
    @io.quarkus.qute.TemplateData
    public record Part(Replay replay, EndpointLists.Label endpoint, Copies copies) {

        public String endpointName() {
            return endpoint == null ? replay.endpointId : endpoint.name();
        }

        /** As the API's progress: 100 once completed, whatever processed came to against total (docs/api.md). */
        public long percent() {
            return replay.total == 0 || Replay.COMPLETED.equals(replay.state) ? 100
                    : Math.min(100, Math.round(100.0 * replay.processed / replay.total));
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance replay(Chrome chrome, RunRow row, List<Part> parts, String next);

        static native TemplateInstance cancel(Chrome chrome, RunRow row);

        static native TemplateInstance progress(Chrome chrome, Run run, boolean live);
    }

    private final Pages pages;
    private final ReplayRuns runs;
    private final RunRows rows;
    private final ReplayControl control;
    private final EndpointLists endpoints;
    private final Owners owners;
    private final CallerContext caller;

    public ReplayPage(Pages pages, ReplayRuns runs, RunRows rows, ReplayControl control, EndpointLists endpoints,
            Owners owners, CallerContext caller) {
        this.pages = pages;
        this.runs = runs;
        this.rows = rows;
        this.control = control;
        this.endpoints = endpoints;
        this.owners = owners;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") String id, @QueryParam("cursor") String cursor,
            @QueryParam("notice") String notice) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            RunRow row = rows.of(List.of(run(id))).get(0);
            List<Part> parts = List.of();
            String next = null;
            if (row.run().batch()) {
                PageRequest page = PageRequest.parse(null, cursor);
                Page<Replay> found = Page.of(runs.replaysOf(id, page), page, r -> r.seq, r -> r);
                parts = parts(found.data());
                next = found.pagination().nextCursor();
            }
            return Templates.replay(pages.chrome("Replay " + id, "replays", notice), row, parts, next);
        });
    }

    @GET
    @Path("/{id}/cancel")
    public Response confirmCancel(@PathParam("id") String id) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            return Templates.cancel(pages.chrome("Cancel replay " + id, "replays", null), rows.of(List.of(run(id)))
                    .get(0));
        });
    }

    @POST
    @Path("/{id}/cancel")
    @Audited("replay.cancel")
    public Response cancel(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            Run run = run(id);
            int cancelled = 0;
            if (run.batch()) {
                for (Replay replay : runs.activeOf(id)) {
                    cancelled += cancelIfActive(replay.owner, replay.id);
                }
            } else {
                control.cancel(owners.ofReplay(id), id);
                cancelled = 1;
            }
            if (cancelled == 0) {
                throw Refusal.conflict("The replay is " + run.state() + "; only a pending or running replay can be "
                        + "cancelled.");
            }
            boolean recover = dev.git.webhooks.ops.Replay.RECOVER.equals(run.status());
            return Done.ok("/console/replays/" + id + "?notice=cancelled", "Cancelled at " + run.percent() + " %: "
                    + Counts.of(run.processed()) + " of " + (recover ? Counts.of(run.total(), "event", "events")
                            : Counts.deliveries(run.total())) + " processed");
        });
    }

    /** The live progress, alone: framed by the run's page, reloading itself while the run is live. */
    @GET
    @Path("/{id}/progress")
    public Response frame(@PathParam("id") String id, @QueryParam("live") String live) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_READ, Scope.OPS_READ);
            Run run = run(id);
            return Templates.progress(pages.chrome("Progress of " + id, "replays", null), run,
                    run.live() && !"0".equals(live));
        });
    }

    private int cancelIfActive(String owner, String id) {
        try {
            control.cancel(owner, id);
            return 1;
        } catch (Refusal e) {
            return 0; // completed meanwhile
        }
    }

    private Run run(String id) {
        return runs.get(caller.ownerFilter(null), id).orElseThrow(() -> Refusal.notFound("replay", id));
    }

    private List<Part> parts(List<Replay> replays) {
        Map<String, EndpointLists.Label> labels = endpoints.labels(replays.stream().map(r -> r.endpointId).toList());
        Map<String, Copies> copies = runs.copies(replays.stream().map(r -> r.id).toList());
        return replays.stream().map(r -> new Part(r, labels.get(r.endpointId), copies.get(r.id))).toList();
    }
}
