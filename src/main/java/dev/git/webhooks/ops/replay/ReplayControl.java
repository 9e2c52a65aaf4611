package dev.git.webhooks.ops.replay;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ops.DeliveryFilter;
import dev.git.webhooks.ops.Replay;
import dev.git.webhooks.ops.Replays;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;

/**
 * Lists and cancels replays, and starts bulk replays over several endpoints of one owner. Cancelling waits for the
 * replay lock, so that a step that is copying a batch finishes first and never overwrites the cancellation.
 */
@ApplicationScoped
public class ReplayControl {

    /** A bulk request: its replays, and the endpoints that were left out because they take no deliveries. */
    public record Bulk(String batchId, boolean dryRun, int total, List<Replay> replays, List<Skipped> skipped) {
    }

    public record Skipped(
            @Schema(example = "wh_7c1d3e9a") String webhookId,
            @Schema(example = "auto_disabled", description = "Why it takes no deliveries: its status (disabled, "
                    + "auto_disabled), or inactive.") String reason) {
    }

    private final Replays replays;
    private final WebhookEndpoints subscriptions;
    private final EntityManager em;
    private final Clock clock;

    public ReplayControl(Replays replays, WebhookEndpoints subscriptions, EntityManager em, Clock clock) {
        this.replays = replays;
        this.subscriptions = subscriptions;
        this.em = em;
        this.clock = clock;
    }

    /**
     * Which replays a list shows: of one owner (null: every owner's), endpoint, batch, in one state, created in a
     * time range.
     */
    public record Filter(String owner, String webhookId, String batchId, String state, TimeRange created) {
    }

    /** The states a replay can be in, as {@code ?state=} takes them. */
    public static final List<String> STATES = List.of(Replay.PENDING, Replay.RUNNING, Replay.COMPLETED,
            Replay.CANCELLED);

    /** The state and creation times of a list's filter, as the API and the console take them. */
    public static TimeRange checkedFilter(String state, String since, String until) {
        return TimeRange.withState(state, STATES, since, until);
    }

    /** Replays newest first. */
    @Transactional
    public List<Replay> list(Filter filter, PageRequest page) {
        List<Object> params = new ArrayList<>();
        params.add(page.before());
        String where = "seq < ?1" + terms(filter, params);
        return Replay.<Replay>find(where + " order by seq desc", params.toArray()).page(0, page.fetchSize()).list();
    }

    /** {@code and owner = ?n …} for the filters given, their values appended to {@code params}. */
    private static String terms(Filter filter, List<Object> params) {
        StringBuilder where = new StringBuilder();
        for (String[] term : new String[][] {{"owner", filter.owner()}, {"endpointId", filter.webhookId()},
                {"batchId", filter.batchId()}, {"state", filter.state()}}) {
            if (term[1] != null && !term[1].isBlank()) {
                params.add(term[1]);
                where.append(" and ").append(term[0]).append(" = ?").append(params.size());
            }
        }
        if (filter.created().since() != null) {
            params.add(filter.created().since());
            where.append(" and createdAt >= ?").append(params.size());
        }
        if (filter.created().until() != null) {
            params.add(filter.created().until());
            where.append(" and createdAt < ?").append(params.size());
        }
        return where.toString();
    }

    @Transactional
    public Replay cancel(String owner, String id) {
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, Replays.LOCK).getSingleResult();
        Replay replay = replays.get(owner, id);
        em.refresh(replay);
        if (!Replay.PENDING.equals(replay.state) && !Replay.RUNNING.equals(replay.state)) {
            throw Refusal.conflict("The replay is " + replay.state + "; only a pending or running replay can "
                    + "be cancelled.");
        }
        replay.state = Replay.CANCELLED;
        replay.cancelledAt = clock.instant();
        replay.completedAt = replay.cancelledAt;
        return replay;
    }

    /**
     * One replay per endpoint of {@code owner} (all, or those listed) that matches the filter, grouped under one
     * batch id. A live run leaves out endpoints that take no deliveries; a dry run counts them all.
     */
    @Transactional
    public Bulk bulk(String owner, List<String> webhookIds, DeliveryFilter filter, boolean dryRun) {
        List<WebhookEndpoint> endpoints = webhookIds.isEmpty()
                ? WebhookEndpoint.<WebhookEndpoint>list("owner = ?1 order by seq", owner)
                : WebhookEndpoint.<WebhookEndpoint>list("owner = ?1 and id in ?2 order by seq", owner, webhookIds);
        for (String id : webhookIds) {
            if (endpoints.stream().noneMatch(e -> e.id.equals(id))) {
                throw Refusal.notFound("webhook", id);
            }
        }
        String batchId = Ids.newId("rpb");
        List<Replay> created = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        int total = 0;
        for (WebhookEndpoint endpoint : endpoints) {
            boolean deliverable = WebhookEndpoint.ENABLED.equals(endpoint.status) && endpoint.active;
            if (!dryRun && !deliverable) {
                skipped.add(new Skipped(endpoint.id, endpoint.active ? endpoint.status : "inactive"));
                continue;
            }
            if (!subscriptions.hold(endpoint.id)) { // deleted since it was listed: not replayed, not an error
                continue;
            }
            Replay replay = replays.create(owner, endpoint.id, filter, dryRun);
            replay.batchId = batchId;
            total += replay.total;
            created.add(replay);
        }
        return new Bulk(batchId, dryRun, total, created, skipped);
    }
}
