package dev.git.webhooks.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.delivery.DeliveryConfig;
import dev.git.webhooks.delivery.DeliveryJob;
import dev.git.webhooks.delivery.Dispatcher;
import dev.git.webhooks.delivery.store.Columns;
import dev.git.webhooks.delivery.store.OutboxException;
import dev.git.webhooks.delivery.store.OutboxStore;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;

/**
 * Sends an event to an endpoint again as a new delivery (same event bytes, same {@code webhook-id}), linked to the
 * delivery it repeats: one at a time (redeliver) or in batches (replays). A failed delivery so repeated becomes
 * {@code replayed}, linked to its copy, in the transaction that inserts the copy; a delivered one just gets a copy.
 * A pending delivery is not redelivered (it is still being retried), nor a replayed one again (its copy is).
 */
@ApplicationScoped
public class Resends {

    private final WebhookEndpoints endpoints;
    private final DataSource dataSource;
    private final Dispatcher dispatcher;
    private final DeliveryConfig config;
    private final Clock clock;

    public Resends(WebhookEndpoints endpoints, DataSource dataSource, Dispatcher dispatcher, DeliveryConfig config,
            Clock clock) {
        this.endpoints = endpoints;
        this.dataSource = dataSource;
        this.dispatcher = dispatcher;
        this.config = config;
        this.clock = clock;
    }

    /** Redelivers one delivery now; answers the new delivery. */
    public Delivery redeliver(String owner, String deliveryId) {
        DeliveryJob job = storeRedelivery(owner, deliveryId);
        dispatcher.offer(List.of(job));
        return read(job.deliveryId());
    }

    @Transactional
    Delivery read(String id) {
        return Delivery.findById(id);
    }

    @Transactional
    DeliveryJob storeRedelivery(String owner, String deliveryId) {
        Delivery original = Delivery.findOwned(owner, deliveryId);
        if (original == null) {
            throw ApiException.notFound("delivery", deliveryId);
        }
        if (Delivery.PENDING.equals(original.status)) {
            throw ApiException.conflict("The delivery is still pending: it is retried on its schedule (next attempt "
                    + "at " + original.nextAttemptAt + "). Redeliver it once it is delivered or failed.");
        }
        if (Delivery.REPLAYED.equals(original.status)) {
            throw replayedAlready(original.id, original.replayedBy);
        }
        WebhookEndpoint endpoint = endpoints.deliverable(owner, original.endpointId);
        Event event = Event.findById(original.eventId);
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(config.lease());
        OutboxStore.NewDelivery copy = new OutboxStore.NewDelivery(Ids.newId("dlv"), original.eventId,
                endpoint.id, owner, original.eventType, now, leaseUntil, original.id, null);
        if (store(List.of(original), List.of(copy)) == 0) {
            throw replayedAlready(original.id, null); // redelivered or replayed meanwhile
        }
        return new DeliveryJob(copy.id(), event.id, event.type, event.payload, 1, leaseUntil,
                DeliveryJob.Target.of(endpoint));
    }

    /**
     * Inserts copies of these deliveries for a replay, due now: the poller sends them, at the pace it claims. Runs
     * in the caller's transaction; answers how many copies it made.
     */
    int copiesForReplay(List<Delivery> originals, String replayId) {
        Instant now = clock.instant();
        List<OutboxStore.NewDelivery> copies = new ArrayList<>();
        for (Delivery original : originals) {
            copies.add(new OutboxStore.NewDelivery(Ids.newId("dlv"), original.eventId, original.endpointId,
                    original.owner, original.eventType, now, now, original.id, replayId));
        }
        return store(originals, copies);
    }

    /**
     * Marks the failed originals {@code replayed} (linked to their copies) and inserts the copies, in the caller's
     * transaction. A failed original that another transaction replayed first is left out: only the one that marks
     * it makes its copy, so concurrent redeliveries and replays cannot send a recovered event twice.
     */
    private int store(List<Delivery> originals, List<OutboxStore.NewDelivery> copies) {
        try (Connection connection = dataSource.getConnection()) {
            List<OutboxStore.NewDelivery> failed = new ArrayList<>();
            List<OutboxStore.NewDelivery> kept = new ArrayList<>();
            for (int i = 0; i < originals.size(); i++) {
                (Delivery.FAILED.equals(originals.get(i).status) ? failed : kept).add(copies.get(i));
            }
            Set<String> marked = markReplayed(connection, failed);
            failed.stream().filter(copy -> marked.contains(copy.redeliveryOf())).forEach(kept::add);
            OutboxStore.insert(connection, kept);
            return kept.size();
        } catch (SQLException e) {
            throw new OutboxException("inserting " + copies.size() + " deliveries failed", e);
        }
    }

    /** {@code failed} → {@code replayed} with the link to the copy; answers the originals it changed. */
    private static Set<String> markReplayed(Connection connection, List<OutboxStore.NewDelivery> copies)
            throws SQLException {
        Set<String> marked = new HashSet<>();
        if (copies.isEmpty()) {
            return marked;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                update delivery d set status = 'replayed', replayed_by = u.copy
                from unnest(?::text[], ?::text[]) as u(original, copy)
                where d.id = u.original and d.status = 'failed'
                returning d.id""")) {
            new Columns(connection, update).text(copies, OutboxStore.NewDelivery::redeliveryOf)
                    .text(copies, OutboxStore.NewDelivery::id);
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    marked.add(rows.getString(1));
                }
            }
        }
        return marked;
    }

    private static ApiException replayedAlready(String id, String copy) {
        return ApiException.conflict("The delivery " + id + " was replayed already" + (copy == null ? ""
                : " by " + copy) + "; redeliver that copy instead.");
    }
}
