package dev.git.webhooks.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.ApiException;
import dev.git.webhooks.common.Ids;
import dev.git.webhooks.delivery.Dispatcher;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.NewDelivery;
import dev.git.webhooks.outbox.OutboxException;
import dev.git.webhooks.outbox.OutboxStore;
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
    private final OutboxStore outbox;
    private final Clock clock;

    public Resends(WebhookEndpoints endpoints, DataSource dataSource, Dispatcher dispatcher, OutboxStore outbox,
            Clock clock) {
        this.endpoints = endpoints;
        this.dataSource = dataSource;
        this.dispatcher = dispatcher;
        this.outbox = outbox;
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
        return insert(List.of(new NewDelivery(Ids.newTimeOrderedId("dlv", now.toEpochMilli()), original.eventId,
                endpoint.id, owner, original.eventType, event.payload, DeliveryJob.Target.of(endpoint), null,
                original.id, null)), now).get(0);
    }

    /**
     * Inserts copies of these deliveries of one endpoint for a replay, claimed by this instance: offer them to the
     * dispatcher once the caller's transaction has committed.
     */
    List<DeliveryJob> copiesForReplay(List<Delivery> originals, String replayId, WebhookEndpoint endpoint) {
        Instant now = clock.instant();
        Map<String, byte[]> payloads = new HashMap<>();
        if (!originals.isEmpty()) {
            Event.<Event>list("id in ?1", originals.stream().map(d -> d.eventId).distinct().toList())
                    .forEach(e -> payloads.put(e.id, e.payload));
        }
        DeliveryJob.Target target = DeliveryJob.Target.of(endpoint);
        List<NewDelivery> copies = new ArrayList<>();
        for (Delivery original : originals) {
            copies.add(new NewDelivery(Ids.newTimeOrderedId("dlv", now.toEpochMilli()), original.eventId,
                    original.endpointId, original.owner, original.eventType, payloads.get(original.eventId), target,
                    null, original.id, replayId));
        }
        return insert(copies, now);
    }

    /** Offers deliveries stored by a committed transaction. */
    void send(List<DeliveryJob> jobs) {
        dispatcher.offer(jobs);
    }

    private List<DeliveryJob> insert(List<NewDelivery> deliveries, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            return outbox.insert(connection, deliveries, now);
        } catch (SQLException e) {
            throw new OutboxException("inserting " + deliveries.size() + " deliveries failed", e);
        }
    }
}
