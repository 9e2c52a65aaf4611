package dev.git.webhooks.ops.console.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.api.auth.CallerContext;
import dev.git.webhooks.api.auth.Scope;
import dev.git.webhooks.api.body.Patch;
import dev.git.webhooks.ops.Pings;
import dev.git.webhooks.ops.DeliveryFilter;
import dev.git.webhooks.ops.EnableResource;
import dev.git.webhooks.ops.EndpointEnabling;
import dev.git.webhooks.ops.Replay;
import dev.git.webhooks.ops.Replays;
import dev.git.webhooks.ops.RetentionConfig;
import dev.git.webhooks.ops.access.Owners;
import dev.git.webhooks.ops.audit.Audited;
import dev.git.webhooks.ops.console.Chrome;
import dev.git.webhooks.ops.console.Done;
import dev.git.webhooks.ops.console.Pages;
import dev.git.webhooks.ops.console.Problems;
import dev.git.webhooks.ops.health.words.Counts;
import dev.git.webhooks.ops.health.EndpointStatus;
import dev.git.webhooks.ops.health.HealthQueries;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.OutboxViews;
import dev.git.webhooks.subscription.WebhookEndpoints;
import dev.git.webhooks.subscription.request.UpdateWebhook;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * What can be done to an endpoint, as the API's routes do it: disable and enable (a page first says what each
 * affects, with the counts: the pending deliveries a disable fails, the failed ones an enable can replay), enable
 * and replay what failed, enable and recover what it missed, resume a paused endpoint, send a ping, check its
 * ownership again.
 */
@Path("/console/endpoints")
public class EndpointActions {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance disable(Chrome chrome, EndpointStatus e);

        static native TemplateInstance enable(Chrome chrome, EndpointStatus e, long failed, String since,
                String reach, Problems problems);

        static native TemplateInstance recover(Chrome chrome, EndpointStatus e, String since, String reach,
                Problems problems);
    }

    private final Pages pages;
    private final EndpointEnabling enabling;
    private final WebhookEndpoints endpoints;
    private final HealthQueries health;
    private final Replays replays;
    private final Pings pings;
    private final Owners owners;
    private final CallerContext caller;
    private final RetentionConfig retention;
    private final Clock clock;
    private final OutboxViews views;

    public EndpointActions(Pages pages, EndpointEnabling enabling, WebhookEndpoints endpoints, HealthQueries health,
            Replays replays, Pings pings, Owners owners, CallerContext caller, RetentionConfig retention,
            Clock clock, OutboxViews views) {
        this.views = views;
        this.retention = retention;
        this.clock = clock;
        this.pages = pages;
        this.enabling = enabling;
        this.endpoints = endpoints;
        this.health = health;
        this.replays = replays;
        this.pings = pings;
        this.owners = owners;
        this.caller = caller;
    }

    @GET
    @Path("/{id}/disable")
    public Response confirmDisable(@PathParam("id") String id) {
        return pages.page(() -> {
            pages.require(Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
            EndpointStatus e = health.statusOf(owners.ofEndpoint(id), id);
            return Templates.disable(pages.chrome("Disable " + e.label(), "endpoints", null), e);
        });
    }

    @POST
    @Path("/{id}/disable")
    @Audited("webhook.disable")
    public Response disable(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
            String owner = owners.ofEndpoint(id);
            // what the disable failed, not what was pending just before it
            int pending = enabling.disable(owner, id, caller.operator() ? "operator" : "owner").failed();
            return Done.ok("/console/endpoints/" + id + "?notice=disabled:" + pending,
                    "Disabled; " + Counts.of(pending, "pending delivery", "pending deliveries") + " failed");
        });
    }

    @GET
    @Path("/{id}/enable")
    public Response confirmEnable(@PathParam("id") String id) {
        return pages.page(() -> {
            pages.require(Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
            String owner = owners.ofEndpoint(id);
            EndpointStatus e = health.statusOf(owner, id);
            return enablePage(owner, e, recoverFrom(e).toString(), Problems.NONE);
        });
    }

    private TemplateInstance enablePage(String owner, EndpointStatus e, String since, Problems problems) {
        return Templates.enable(pages.chrome("Enable " + e.label(), "endpoints", null), e,
                replays.count(owner, e.id(), failed()), since, replays.reach(), problems);
    }

    /**
     * Where a recover starts unless changed: when the endpoint started failing, or else when it last got an event's
     * delivery (paused or disabled since; not when it last changed, which a resume makes now), or else when it was
     * made; within the retention (before it, a recover is refused).
     */
    private Instant recoverFrom(EndpointStatus e) {
        Instant last = e.failingSince() != null ? null : views.lastEventDeliveryAt(e.id());
        Instant from = e.failingSince() != null ? e.failingSince() : last != null ? last : e.createdAt();
        Instant oldest = clock.instant().minus(retention.period()).plus(Duration.ofHours(1));
        return (from == null || from.isBefore(oldest) ? oldest : from).truncatedTo(ChronoUnit.SECONDS);
    }

    @POST
    @Path("/{id}/enable")
    @Audited("webhook.enable")
    public Response enable(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
            enabling.enable(owners.ofEndpoint(id), id, false, null);
            return Done.ok("/console/endpoints/" + id + "?notice=enabled", "Enabled");
        });
    }

    @POST
    @Path("/{id}/enable-and-replay")
    @Audited(EnableResource.ENABLE_AND_REPLAY)
    public Response enableAndReplay(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            EnableResource.Enabled enabled = enabling.enable(owners.ofEndpoint(id), id, true, null); // 409 if paused
            return Done.accepted("/console/replays/" + enabled.replay().id() + "?notice=replaying", "Enabled; "
                    + "replaying " + Counts.deliveries(enabled.replay().total()) + " as " + enabled.replay().id());
        });
    }

    /**
     * Enables the endpoint and recovers what it missed since {@code since}, as {@code POST /v2/webhooks/{id}/enable}
     * with {@code recover_since}: the events it never got and its failures of them, once each.
     */
    @POST
    @Path("/{id}/enable-and-recover")
    @Audited(EnableResource.ENABLE_AND_REPLAY)
    public Response enableAndRecover(@PathParam("id") String id, @FormParam("since") String since,
            @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.WEBHOOKS_WRITE, Scope.OPS_REPLAY);
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            String owner = owners.ofEndpoint(id);
            endpoints.get(owner, id); // another owner's endpoint is not found, whatever the form says
            Instant from = recoverSince(since);
            EnableResource.Enabled enabled = enabling.enable(owner, id, false, from); // 409 if paused meanwhile
            return Done.accepted("/console/replays/" + enabled.replay().id() + "?notice=recovering",
                    "Enabled; recovering what it missed since " + from + " as " + enabled.replay().id());
        }, problems -> {
            String owner = owners.ofEndpoint(id);
            return enablePage(owner, health.statusOf(owner, id), since, problems);
        });
    }

    /** The time a recover starts from, as typed on a form: required, RFC 3339, within the retention. */
    private Instant recoverSince(String since) {
        FieldChecks checks = new FieldChecks();
        checks.check(since != null && !since.isBlank(), "since", "is required: a time such as 2026-01-20T14:35:22Z");
        Instant from = checks.failed("since") ? null : TimeRange.parse(since.strip(), null, checks).since();
        if (!checks.failed("since")) {
            replays.checkReach(checks, "since", from);
        }
        checks.throwIfAny();
        return from;
    }

    @GET
    @Path("/{id}/recover")
    public Response confirmRecover(@PathParam("id") String id) {
        return pages.page(() -> {
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            EndpointStatus e = health.statusOf(owners.ofEndpoint(id), id);
            return recoverPage(e, recoverFrom(e).toString(), Problems.NONE);
        });
    }

    private TemplateInstance recoverPage(EndpointStatus e, String since, Problems problems) {
        return Templates.recover(pages.chrome("Recover " + e.label(), "endpoints", null), e, since, replays.reach(),
                problems);
    }

    /**
     * Recovers what an enabled endpoint missed since {@code since} (while it was paused, disabled or filtered the
     * events out), as {@code POST /v2/webhooks/{id}/recover}: the events it never got and its failures of them, once
     * each, in a replay whose page shows the progress.
     */
    @POST
    @Path("/{id}/recover")
    @Audited("webhook.recover")
    public Response recover(@PathParam("id") String id, @FormParam("since") String since,
            @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.require(Scope.DELIVERIES_REPLAY, Scope.OPS_REPLAY);
            String owner = owners.ofEndpoint(id);
            endpoints.get(owner, id); // another owner's endpoint is not found, whatever the form says
            Instant from = recoverSince(since);
            Replay replay = replays.recover(owner, id, from, clock.instant());
            return Done.accepted("/console/replays/" + replay.id + "?notice=recovering",
                    "Recovering what it missed since " + from + " as " + replay.id);
        }, problems -> recoverPage(health.statusOf(owners.ofEndpoint(id), id), since, problems));
    }

    /** Resumes a paused endpoint ({@code active} back on), as {@code PATCH {"active": true}}: owners only. */
    @POST
    @Path("/{id}/resume")
    public Response resume(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.requireOwner(Scope.WEBHOOKS_WRITE);
            endpoints.update(caller.owner(), id, new UpdateWebhook(null, null, null, null, Patch.ofNullable(true)));
            return Done.ok("/console/endpoints/" + id + "?notice=resumed", "Resumed; what it missed while paused "
                    + "can be recovered (Recover missed events…)");
        });
    }

    /** Sends a ping now and shows its delivery: owners only, as {@code POST /v2/webhooks/{id}/ping}. */
    @POST
    @Path("/{id}/ping")
    public Response ping(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.requireOwner(Scope.WEBHOOKS_WRITE);
            Pings.Sent sent = pings.ping(caller.owner(), id);
            return Done.accepted("/console/deliveries/" + sent.deliveryId() + "?notice=pinged",
                    "Ping sent as " + sent.deliveryId());
        });
    }

    /**
     * Sends the ownership challenge again, as {@code POST /v2/webhooks/{id}/verify-ownership}: owners only; the
     * endpoint gets no events until it answers (409 when it has no ownership check).
     */
    @POST
    @Path("/{id}/verify-ownership")
    public Response verifyOwnership(@PathParam("id") String id, @FormParam("_csrf") String csrf) {
        return pages.action(csrf, () -> {
            pages.requireOwner(Scope.WEBHOOKS_WRITE);
            endpoints.verifyOwnership(caller.owner(), id);
            return Done.accepted("/console/endpoints/" + id + "?notice=checking-ownership",
                    "Ownership challenge sent again");
        });
    }

    private static DeliveryFilter failed() {
        return new DeliveryFilter(DeliveryStatus.FAILED.value(), List.of(), null, null);
    }
}
