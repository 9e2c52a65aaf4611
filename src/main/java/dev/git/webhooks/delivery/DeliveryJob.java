package dev.git.webhooks.delivery;

import java.time.Instant;

/**
 * One attempt to make: a delivery claimed by (leased to) this instance until {@code leaseUntil}, with everything
 * needed to send it.
 */
public record DeliveryJob(String deliveryId, String eventId, String eventType, byte[] payload, int attempt,
        Instant leaseUntil, Target target) {

    /** Where a delivery goes and the sealed secrets that sign it. */
    public record Target(String endpointId, String url, byte[] secret, String secretKeyId, byte[] previousSecret,
            String previousSecretKeyId, Instant previousSecretExpiresAt) {
    }
}
