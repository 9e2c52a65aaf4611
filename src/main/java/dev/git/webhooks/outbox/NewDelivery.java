package dev.git.webhooks.outbox;

import java.time.Instant;

/**
 * A delivery to insert. With {@code dueAt} null it is fresh: claimed by this instance as it is inserted, to be
 * offered to its engine after the commit. With {@code dueAt} set it goes into the queue, for its endpoint's owner,
 * due then (an endpoint whose breaker is open gets its deliveries due when the breaker may close). {@code traceparent} is
 * the event's producer context (stored with the event), which its attempts continue.
 */
public record NewDelivery(String id, String eventId, String endpointId, String owner, String eventType,
        byte[] payload, DeliveryJob.Target target, Instant dueAt, String redeliveryOf, String replayId,
        String traceparent, String orderKey) {

    /** A delivery without an ordering key. */
    public NewDelivery(String id, String eventId, String endpointId, String owner, String eventType, byte[] payload,
            DeliveryJob.Target target, Instant dueAt, String redeliveryOf, String replayId, String traceparent) {
        this(id, eventId, endpointId, owner, eventType, payload, target, dueAt, redeliveryOf, replayId, traceparent,
                null);
    }

    public boolean fresh() {
        return dueAt == null;
    }

    /** The same delivery, queued due at {@code at} instead. */
    public NewDelivery dueAt(Instant at) {
        return new NewDelivery(id, eventId, endpointId, owner, eventType, payload, target, at, redeliveryOf, replayId,
                traceparent, orderKey);
    }

    /** The same delivery with the value of its endpoint's ordering key. */
    public NewDelivery withOrderKey(String key) {
        return new NewDelivery(id, eventId, endpointId, owner, eventType, payload, target, dueAt, redeliveryOf,
                replayId, traceparent, key);
    }

    /** The job of a fresh delivery inserted under {@code claim} (by the work traced as {@code origin}). */
    DeliveryJob claimed(String claim, Instant now, String origin) {
        return new DeliveryJob(id, eventId, eventType, payload, 1, claim, now, null, target, owner,
                DeliveryJob.Trace.of(traceparent, origin));
    }
}
