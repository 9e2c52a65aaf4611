package dev.git.webhooks.outbox;

import java.time.Instant;

import dev.git.webhooks.subscription.WebhookEndpoint;

/**
 * A delivery claimed by this instance, with everything needed to send it. {@code claim} is the token that every
 * write about it must name (fencing: once the claim passed to another instance, those writes change nothing).
 * {@code leaseUntil} is null for a fresh delivery, claimed when it was inserted and held in memory only.
 */
public record DeliveryJob(String deliveryId, String eventId, String eventType, byte[] payload, int attempt,
        String claim, Instant createdAt, Instant leaseUntil, Target target, String owner, Trace trace) {

    /**
     * The traces an attempt belongs to, as W3C {@code traceparent} strings (or null): {@code parent}, the event's
     * producer context, stored with the event, so that every attempt (retries too, on any instance) continues it;
     * {@code origin}, the span in which this instance created the delivery (an ingest batch, an API request), kept
     * in memory only and linked from the attempt.
     */
    public record Trace(String parent, String origin) {

        public static final Trace NONE = new Trace(null, null);

        public static Trace of(String parent, String origin) {
            return parent == null && origin == null ? NONE : new Trace(parent, origin);
        }
    }

    /**
     * Where a delivery goes and the sealed secrets that sign it; {@code bucket} is the endpoint's bucket, which says
     * which instance sends to it (see {@code delivery.engine}).
     */
    public record Target(String endpointId, int bucket, String url, byte[] secret, String secretKeyId,
            byte[] previousSecret, String previousSecretKeyId, Instant previousSecretExpiresAt) {

        public static Target of(WebhookEndpoint e) {
            return new Target(e.id, e.bucket, e.url, e.secretCiphertext, e.secretKeyId, e.previousSecretCiphertext,
                    e.previousSecretKeyId, e.previousSecretExpiresAt);
        }
    }

    public String endpointId() {
        return target.endpointId();
    }

    public int bucket() {
        return target.bucket();
    }

    /** The same claim of the same delivery: what sets and maps of jobs compare (not the payload's bytes). */
    @Override
    public boolean equals(Object other) {
        return other instanceof DeliveryJob job && deliveryId.equals(job.deliveryId)
                && java.util.Objects.equals(claim, job.claim);
    }

    @Override
    public int hashCode() {
        return deliveryId.hashCode();
    }

    /** Claimed from the queue (or given a lease since): renewed while held. */
    public boolean leased() {
        return leaseUntil != null;
    }
}
