package dev.git.webhooks.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.delivery.DeliveryConfig;
import dev.git.webhooks.delivery.DeliveryJob;
import dev.git.webhooks.delivery.Dispatcher;
import dev.git.webhooks.delivery.store.OutboxException;
import dev.git.webhooks.delivery.store.OutboxStore;
import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.WebhookEndpoints;

/**
 * Sends an event to an endpoint again as a new delivery (same event bytes, same {@code webhook-id}), linked to the
 * delivery it repeats: one at a time (redeliver) or in batches (replays).
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
        WebhookEndpoint endpoint = endpoints.deliverable(owner, original.endpointId);
        Event event = Event.findById(original.eventId);
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(config.lease());
        OutboxStore.NewDelivery copy = new OutboxStore.NewDelivery(Ids.newId("dlv"), original.eventId,
                endpoint.id, owner, original.eventType, now, leaseUntil, original.id, null);
        insert(List.of(copy));
        return new DeliveryJob(copy.id(), event.id, event.type, event.payload, 1, leaseUntil,
                DeliveryJob.Target.of(endpoint));
    }

    /**
     * Inserts copies of these deliveries for a replay, due now: the poller sends them, at the pace it claims.
     * Runs in the caller's transaction.
     */
    void copiesForReplay(List<Delivery> originals, String replayId) {
        Instant now = clock.instant();
        List<OutboxStore.NewDelivery> copies = new ArrayList<>();
        for (Delivery original : originals) {
            copies.add(new OutboxStore.NewDelivery(Ids.newId("dlv"), original.eventId, original.endpointId,
                    original.owner, original.eventType, now, now, original.id, replayId));
        }
        insert(copies);
    }

    private void insert(List<OutboxStore.NewDelivery> deliveries) {
        try (Connection connection = dataSource.getConnection()) {
            OutboxStore.insert(connection, deliveries);
        } catch (SQLException e) {
            throw new OutboxException("inserting " + deliveries.size() + " deliveries failed", e);
        }
    }
}
