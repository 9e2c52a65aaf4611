package dev.git.webhooks.delivery;

import java.time.Instant;

import dev.git.webhooks.subscription.WebhookEndpoint;

/**
 * One attempt to make: a delivery claimed by (leased to) this instance until {@code leaseUntil}, with everything
 * needed to send it.
 */
public record DeliveryJob(String deliveryId, String eventId, String eventType, byte[] payload, int attempt,
        Instant leaseUntil, Target target) {

    /** Where a delivery goes and the sealed secrets that sign it. */
    public record Target(String endpointId, String url, byte[] secret, String secretKeyId, byte[] previousSecret,
            String previousSecretKeyId, Instant previousSecretExpiresAt) {

        public static Target of(WebhookEndpoint e) {
            return new Target(e.id, e.url, e.secretCiphertext, e.secretKeyId, e.previousSecretCiphertext,
                    e.previousSecretKeyId, e.previousSecretExpiresAt);
        }
    }
}
