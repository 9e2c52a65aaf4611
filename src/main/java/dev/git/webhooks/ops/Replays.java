package dev.git.webhooks.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.common.AdvisoryLocks;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ingest.Subscriptions;
import dev.git.webhooks.ops.request.ReplayRequest;
import dev.git.webhooks.outbox.Delivery;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.OutboxViews;
import dev.git.webhooks.subscription.DeliveryControls;
import dev.git.webhooks.subscription.EventTypes;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;

/**
 * Creates replays and moves them forward. A replay covers the deliveries that match its filter when it is created
 * (up to the newest {@code seq} then), so the copies it makes never feed it; each step copies the next batch and
 * commits the copies together with the new cursor: a restart resumes where the last step ended, and no delivery is
 * replayed twice. A failed delivery it copies becomes {@code replayed} in that transaction, so later replays (and
 * redeliveries) skip it.
 */
@ApplicationScoped
public class Replays {

    /** Key of the PostgreSQL advisory lock that lets one instance at a time run replays. */
    public static final long LOCK = 0x7265706c6179L;

    private final WebhookEndpoints endpoints;
    private final Resends resends;
    private final EntityManager em;
    private final OutboxViews views;
    private final Clock clock;
    private final RetentionConfig retention;

    public Replays(WebhookEndpoints endpoints, Resends resends, EntityManager em, OutboxViews views, Clock clock,
            RetentionConfig retention) {
        this.endpoints = endpoints;
        this.resends = resends;
        this.em = em;
        this.views = views;
        this.clock = clock;
        this.retention = retention;
    }

    /** How far back a recover may reach, in words: "30 days". */
    public String reach() {
        java.time.Duration period = retention.period();
        return period.toSeconds() % 86_400 == 0 ? period.toDays() + " days" : period.toString();
    }

    /**
     * A recover asked for reaches back no further than {@code webhooks.retention}: the deliveries the endpoint received
     * before that are purged, so a recover would take their events for missed and send them again.
     */
    public void checkReach(FieldChecks checks, String field, Instant since) {
        Instant now = clock.instant();
        Instant oldest = now.minus(retention.period());
        checks.check(since == null || !since.isBefore(oldest), field, "must be within the last " + reach()
                + " (webhooks.retention): what the endpoint received before that is no longer known, so a recover "
                + "would send it again");
        checks.check(since == null || since.isBefore(now), field, "must be in the past: a recover sends what the "
                + "endpoint missed since then");
    }

    @Transactional
    public Replay create(String owner, String endpointId, ReplayRequest body) {
        FieldChecks checks = new FieldChecks();
        DeliveryFilter filter = DeliveryFilter.parseReplay(body.statusOrFailed(), body.events(), body.since(),
                body.until(), checks);
        checks.throwIfAny();
        return create(owner, endpointId, filter, body.dry());
    }

    @Transactional
    public Replay create(String owner, String endpointId, DeliveryFilter filter, boolean dryRun) {
        if (dryRun) {
            endpoints.get(owner, endpointId);
        } else {
            endpoints.deliverable(owner, endpointId);
        }
        held(endpointId);
        Replay replay = new Replay();
        replay.id = Ids.newId("rpl");
        replay.owner = owner;
        replay.endpointId = endpointId;
        replay.statusFilter = filter.status();
        replay.since = filter.since();
        replay.until = filter.until();
        replay.events = filter.events().isEmpty() ? null : filter.events();
        replay.dryRun = dryRun;
        replay.maxSeq = views.maxSeq(endpointId);
        replay.total = (int) count(endpointId, filter, replay.maxSeq);
        replay.createdAt = clock.instant();
        replay.state = dryRun || replay.total == 0 ? Replay.COMPLETED : Replay.PENDING;
        replay.completedAt = Replay.COMPLETED.equals(replay.state) ? replay.createdAt : null;
        replay.persist();
        return replay;
    }

    /**
     * How many deliveries of one of {@code owner}'s endpoints a replay with this filter would copy now, without
     * recording a dry run (a confirmation page's count).
     */
    @Transactional
    public long count(String owner, String endpointId, DeliveryFilter filter) {
        endpoints.get(owner, endpointId);
        return count(endpointId, filter, views.maxSeq(endpointId));
    }

    /** The endpoint held against a delete until the commit: one deleted since it was read is not found. */
    private void held(String endpointId) {
        if (!endpoints.hold(endpointId)) {
            throw Refusal.notFound("webhook", endpointId);
        }
    }

    private static long count(String endpointId, DeliveryFilter filter, long maxSeq) {
        List<Object> params = DeliveryFilter.params(endpointId);
        String where = filter.where(params);
        params.add(maxSeq);
        return Delivery.count(where + " and seq <= ?" + params.size(), params.toArray());
    }

    /**
     * A recover (SPEC §4): every event of the owner received in {@code [since, until)} that the endpoint subscribes
     * to (types, repositories, filter) and never got is delivered to it, and its failed deliveries of those events
     * are replayed; a replay like the others (progress, cancel), whose {@code status_filter} is {@code recover} and
     * whose cursor walks the owner's events (by their {@code seq}) instead of deliveries. Run once, it never sends an
     * event twice: a missed event has a delivery afterwards, and a replayed failure is marked so.
     */
    @Transactional
    public Replay recover(String owner, String endpointId, Instant since, Instant until) {
        endpoints.deliverable(owner, endpointId);
        held(endpointId);
        Replay replay = new Replay();
        replay.id = Ids.newId("rpl");
        replay.owner = owner;
        replay.endpointId = endpointId;
        replay.statusFilter = Replay.RECOVER;
        replay.since = since;
        replay.until = until;
        replay.maxSeq = views.maxEventSeq();
        replay.total = (int) Event.count("owner = ?1 and receivedAt >= ?2 and receivedAt < ?3 and seq <= ?4", owner,
                since, until, replay.maxSeq);
        replay.createdAt = clock.instant();
        replay.state = replay.total == 0 ? Replay.COMPLETED : Replay.PENDING;
        replay.completedAt = replay.total == 0 ? replay.createdAt : null;
        replay.persist();
        return replay;
    }

    /** The next batch of a recover: the owner's events after its cursor; answers the budget left (see step). */
    private int recoverStep(Replay replay, int budget, Instant now) {
        List<Event> batch = Event.<Event>find("owner = ?1 and receivedAt >= ?2 and receivedAt < ?3 and seq > ?4 "
                + "and seq <= ?5 order by seq", replay.owner, replay.since, replay.until, replay.cursorSeq,
                replay.maxSeq).page(0, budget).list();
        WebhookEndpoint endpoint = WebhookEndpoint.findById(replay.endpointId);
        DeliveryControls.Filter filter = DeliveryControls.Filter.of(endpoint.filter);
        // checked again at each step, a recover possibly running long after it was asked for: what the endpoint
        // received before the retention of delivered deliveries is no longer known, so such an event without a
        // delivery is not taken for missed (its failures, kept longer, are still replayed)
        Instant known = now.minus(retention.period());
        List<Event> subscribed = batch.stream().filter(e -> takes(endpoint, filter, e)).toList();
        Map<String, List<Delivery>> got = new HashMap<>();
        if (!subscribed.isEmpty()) {
            Delivery.<Delivery>list("endpointId = ?1 and eventId in ?2", endpoint.id,
                    subscribed.stream().map(e -> e.id).toList())
                    .forEach(d -> got.computeIfAbsent(d.eventId, k -> new ArrayList<>()).add(d));
        }
        List<Event> missed = new ArrayList<>();
        List<Delivery> failed = new ArrayList<>();
        for (Event event : subscribed) {
            List<Delivery> deliveries = got.get(event.id);
            if (deliveries == null) {
                if (!event.receivedAt.isBefore(known)) {
                    missed.add(event);
                }
            } else if (deliveries.stream().noneMatch(d -> !d.is(DeliveryStatus.FAILED)
                    && !d.is(DeliveryStatus.REPLAYED))) {
                // a failed copy of an old delivery purged since (delivered, maybe) does not say the event failed
                boolean old = event.receivedAt.isBefore(known);
                deliveries.stream().filter(d -> d.is(DeliveryStatus.FAILED))
                        .filter(d -> !old || d.redeliveryOf == null
                                || deliveries.stream().anyMatch(o -> o.id.equals(d.redeliveryOf)))
                        .findFirst().ifPresent(failed::add);
            }
        }
        if (!replay.dryRun) {
            resends.missedForRecover(missed, replay.id, endpoint, now);
            resends.copiesForReplay(failed, replay.id, endpoint, now);
        }
        return advance(replay, batch.size(), batch.isEmpty() ? null : batch.get(batch.size() - 1).seq, budget);
    }

    /**
     * Whether the endpoint subscribes to the event as its fan-out would have decided: a platform event by its types,
     * repositories and filter; a system notice by its type alone (as {@code SystemEvents} sends them).
     */
    private static boolean takes(WebhookEndpoint endpoint, DeliveryControls.Filter filter, Event event) {
        if (EventTypes.isSystem(event.type)) {
            // an endpoint's own endpoint.disabled goes to the owner's other endpoints (it was disabled then), not
            // to itself once it is back
            com.fasterxml.jackson.databind.JsonNode notice = EventTypes.ENDPOINT_DISABLED.equals(event.type)
                    ? DeliveryControls.event(event.payload) : null;
            return endpoint.events.contains(event.type) && !(notice != null
                    && endpoint.id.equals(notice.path("data").path("webhook_id").asText(null)));
        }
        if (!EventTypes.isKnown(event.type)) {
            return false; // a ping is not an event the endpoint missed
        }
        return Subscriptions.matches(endpoint.events, endpoint.repos, event.type, event.repo) && (filter == null
                || filter.matches(event.repo, filter.readsPayload() ? DeliveryControls.event(event.payload) : null));
    }

    @Transactional
    public Replay get(String owner, String id) {
        Replay replay = Replay.findOwned(owner, id);
        if (replay == null) {
            throw Refusal.notFound("replay", id);
        }
        return replay;
    }

    /** The replays to run (pending or running, their endpoint taking deliveries), oldest first, at most {@code limit}. */
    @Transactional
    public List<String> active(int limit) {
        return em.createQuery("select id from Replay where " + ACTIVE + " order by createdAt", String.class)
                .setParameter(1, Replay.PENDING).setParameter(2, Replay.RUNNING).setMaxResults(limit)
                .getResultList();
    }

    private static final String ACTIVE = """
            state in (?1, ?2) and exists (select 1 from WebhookEndpoint w where w.id = endpointId
            and w.status = 'enabled' and w.active)""";

    /**
     * Copies the next batch of replay {@code id}, if it is still active and this instance holds the replay lock (the
     * copies are sent once this commits). Answers what is left of the budget: what this one did not walk when it
     * completed (a run over many endpoints, most with nothing to copy, then takes seconds, not one per endpoint),
     * all of it when the replay is no longer active, else 0 (it took all of the budget); -1 when another instance
     * holds the lock.
     */
    @Transactional
    public int step(String id, int budget) {
        Instant now = clock.instant(); // the copies' creation time, read before their endpoint is
        if (!AdvisoryLocks.tryForTransaction(em, LOCK)) {
            return -1;
        }
        Replay replay = Replay.<Replay>find("id = ?3 and " + ACTIVE, Replay.PENDING, Replay.RUNNING, id)
                .firstResult();
        if (replay == null) {
            return budget; // completed, cancelled or stopped since it was listed
        }
        if (!endpoints.holdTakingDeliveries(replay.endpointId)) {
            return budget; // stopped since it was listed: its stop comes first, and the replay waits for an enable
        }
        if (replay.startedAt == null) {
            replay.startedAt = clock.instant();
        }
        replay.state = Replay.RUNNING;
        if (Replay.RECOVER.equals(replay.statusFilter)) {
            return recoverStep(replay, budget, now);
        }
        DeliveryFilter filter = new DeliveryFilter(replay.statusFilter, replay.events == null ? List.of()
                : replay.events, replay.since, replay.until);
        List<Object> params = DeliveryFilter.params(replay.endpointId);
        String where = filter.where(params);
        params.add(replay.cursorSeq);
        params.add(replay.maxSeq);
        List<Delivery> batch = Delivery.<Delivery>find(where + " and seq > ?" + (params.size() - 1)
                + " and seq <= ?" + params.size() + " order by seq", params.toArray()).page(0, budget).list();
        if (!replay.dryRun) {
            resends.copiesForReplay(batch, replay.id, WebhookEndpoint.findById(replay.endpointId), now);
        }
        return advance(replay, batch.size(), batch.isEmpty() ? null : batch.get(batch.size() - 1).seq, budget);
    }

    /**
     * A step of a replay walked {@code size} rows up to {@code lastSeq} (null: none): the cursor moves past them, and
     * a step that found fewer than its budget was the last. Answers the budget left for another replay.
     */
    private int advance(Replay replay, int size, Long lastSeq, int budget) {
        replay.processed += size;
        if (lastSeq != null) {
            replay.cursorSeq = lastSeq;
        }
        if (size < budget) {
            replay.state = Replay.COMPLETED;
            replay.completedAt = clock.instant();
            return budget - size;
        }
        return 0;
    }
}
