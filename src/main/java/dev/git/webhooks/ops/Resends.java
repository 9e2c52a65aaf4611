package dev.git.webhooks.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.delivery.Handoff;
import dev.git.webhooks.outbox.Delivery;
import dev.git.webhooks.outbox.DeliveryChanges;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.NewDelivery;
import dev.git.webhooks.outbox.OutboxException;
import dev.git.webhooks.subscription.DeliveryControls;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;

/**
 * Sends an event to an endpoint again as a new delivery (same event bytes, same {@code webhook-id}), linked to the
 * delivery it repeats: one at a time (redeliver) or in batches (replays). A failed delivery so repeated becomes
 * {@code replayed}, linked to its copy, in the transaction that inserts the copy; a delivered one just gets a copy.
 * A pending delivery is not copied: redelivering it means "try now" (its next retry, due now, no copy; one that is
 * being attempted is left as it is). A replayed one is not redelivered again (its copy is).
 */
@ApplicationScoped
public class Resends {

    private final WebhookEndpoints endpoints;
    private final DataSource dataSource;
    private final Handoff handoff;
    private final DeliveryChanges changes;
    private final Clock clock;

    public Resends(WebhookEndpoints endpoints, DataSource dataSource, Handoff handoff, DeliveryChanges changes,
            Clock clock) {
        this.changes = changes;
        this.endpoints = endpoints;
        this.dataSource = dataSource;
        this.handoff = handoff;
        this.clock = clock;
    }

    /** Redelivers one delivery now; answers the new delivery (or, for a pending one, the same, due now). */
    public Delivery redeliver(String owner, String deliveryId) {
        return read(storeRedelivery(owner, deliveryId));
    }

    @Transactional
    Delivery read(String id) {
        return Delivery.findById(id);
    }

    @Transactional
    String storeRedelivery(String owner, String deliveryId) {
        Delivery original = Delivery.findOwned(owner, deliveryId);
        if (original == null) {
            throw Refusal.notFound("delivery", deliveryId);
        }
        if (original.is(DeliveryStatus.PENDING)) {
            endpoints.deliverable(owner, original.endpointId);
            try (Connection connection = dataSource.getConnection()) {
                changes.tryNow(connection, original.id, original.endpointId, clock.instant());
            } catch (SQLException e) {
                throw new OutboxException("moving the next attempt of " + original.id + " failed", e);
            }
            return original.id; // the same delivery: its next attempt now, or the one under way
        }
        if (original.is(DeliveryStatus.REPLAYED)) {
            throw replayedAlready(original.id, original.replayedBy);
        }
        Instant now = clock.instant(); // before the endpoint is read: the engine compares it with the endpoint's changes
        endpoints.holdTakingDeliveries(original.endpointId); // a stop now waits for the copy and fails it with the rest
        WebhookEndpoint endpoint = endpoints.deliverable(owner, original.endpointId);
        Event event = Event.findById(original.eventId);
        if (event == null) { // purged with the last of its deliveries kept, as this one is going
            throw Refusal.conflict("The event of " + original.id + " is no longer kept (webhooks.retention).");
        }
        List<String> copy = store(List.of(original), List.of(new NewDelivery(Ids.newTimeOrderedId("dlv",
                now.toEpochMilli()), original.eventId, endpoint.id, owner, original.eventType, event.payload,
                DeliveryJob.Target.of(endpoint), null, original.id, null, event.traceparent)), now);
        if (copy.isEmpty()) {
            throw replayedAlready(original.id, null); // redelivered or replayed meanwhile
        }
        return copy.get(0);
    }

    /**
     * Inserts copies of these deliveries of one endpoint for a replay, in the caller's transaction (they are sent
     * once it commits), created at {@code now}, read before {@code endpoint} was (the engine gives back a copy
     * created before its endpoint's last change). Answers the ids of the copies made.
     */
    List<String> copiesForReplay(List<Delivery> originals, String replayId, WebhookEndpoint endpoint, Instant now) {
        Map<String, Event> events = new HashMap<>();
        if (!originals.isEmpty()) {
            Event.<Event>list("id in ?1", originals.stream().map(d -> d.eventId).distinct().toList())
                    .forEach(e -> events.put(e.id, e));
        }
        DeliveryJob.Target target = DeliveryJob.Target.of(endpoint);
        List<Delivery> copied = new ArrayList<>();
        List<NewDelivery> copies = new ArrayList<>();
        for (Delivery original : originals) {
            Event event = events.get(original.eventId);
            if (event == null) {
                continue; // purged meanwhile: nothing to send again
            }
            copied.add(original);
            copies.add(new NewDelivery(Ids.newTimeOrderedId("dlv", now.toEpochMilli()), original.eventId,
                    original.endpointId, original.owner, original.eventType, event.payload,
                    target, null, original.id, replayId, event.traceparent));
        }
        return store(copied, copies, now);
    }

    /**
     * New deliveries of events the endpoint never got (a recover: it was disabled, inactive or filtered them out
     * then), in the caller's transaction, part of replay {@code replayId}; an ordered endpoint's are queued with
     * their key's value; {@code now} as for {@link #copiesForReplay}. Answers their ids.
     */
    List<String> missedForRecover(List<Event> missed, String replayId, WebhookEndpoint endpoint, Instant now) {
        DeliveryJob.Target target = DeliveryJob.Target.of(endpoint);
        DeliveryControls.OrderKey key = DeliveryControls.OrderKey.of(endpoint.ordering);
        List<NewDelivery> deliveries = new ArrayList<>();
        for (Event event : missed) {
            NewDelivery delivery = new NewDelivery(Ids.newTimeOrderedId("dlv", now.toEpochMilli()), event.id,
                    endpoint.id, event.owner, event.type, event.payload, target, null, null, replayId,
                    event.traceparent);
            if (key != null) {
                delivery = delivery.dueAt(now).withOrderKey(key.valueFor(event.owner, event.repo, event.type,
                        key.readsPayload() ? DeliveryControls.event(event.payload) : null));
            }
            deliveries.add(delivery);
        }
        try (Connection connection = dataSource.getConnection()) {
            handoff.insert(connection, deliveries, now);
            return deliveries.stream().map(NewDelivery::id).toList();
        } catch (SQLException e) {
            throw new OutboxException("inserting " + deliveries.size() + " deliveries failed", e);
        }
    }

    /**
     * Marks the failed originals {@code replayed} (linked to their copies) and inserts the copies, in the caller's
     * transaction. A failed original that another transaction replayed first is left out: only the one that marks
     * it makes its copy, so concurrent redeliveries and replays cannot send a recovered event twice.
     */
    private List<String> store(List<Delivery> originals, List<NewDelivery> copies, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            List<NewDelivery> failed = new ArrayList<>();
            List<NewDelivery> kept = new ArrayList<>();
            for (int i = 0; i < originals.size(); i++) {
                (originals.get(i).is(DeliveryStatus.FAILED) ? failed : kept).add(copies.get(i));
            }
            Set<String> marked = changes.markReplayed(connection, failed);
            failed.stream().filter(copy -> marked.contains(copy.redeliveryOf())).forEach(kept::add);
            handoff.insert(connection, kept, now);
            return kept.stream().map(NewDelivery::id).toList();
        } catch (SQLException e) {
            throw new OutboxException("inserting " + copies.size() + " deliveries failed", e);
        }
    }

    private static Refusal replayedAlready(String id, String copy) {
        return Refusal.conflict("The delivery " + id + " was replayed already" + (copy == null ? ""
                : " by " + copy) + "; redeliver that copy instead.");
    }
}
