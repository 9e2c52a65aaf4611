package dev.git.webhooks.outbox;

import java.time.Instant;
import java.util.List;

import dev.git.webhooks.subscription.WebhookEndpoint;
import dev.git.webhooks.subscription.auth.DeliveryCredentials;

/**
 * A delivery claimed by this instance, with everything needed to send it. {@code claim} is the token that every
 * write about it must name (fencing: once the claim passed to another instance, those writes change nothing).
 * {@code leaseUntil} is null for a fresh delivery, claimed when it was inserted and held in memory only. {@code order}:
 * its place among its key's pending deliveries when its endpoint is ordered (null otherwise).
 */
public record DeliveryJob(String deliveryId, String eventId, String eventType, byte[] payload, int attempt,
        String claim, Instant createdAt, Instant leaseUntil, Target target, String owner, Trace trace, Order order) {

    /** A delivery without an ordering key. */
    public DeliveryJob(String deliveryId, String eventId, String eventType, byte[] payload, int attempt, String claim,
            Instant createdAt, Instant leaseUntil, Target target, String owner, Trace trace) {
        this(deliveryId, eventId, eventType, payload, attempt, claim, createdAt, leaseUntil, target, owner, trace,
                null);
    }

    /**
     * Where a delivery of an ordered endpoint stands in its key's queue when it was claimed (SPEC §12): its
     * {@code key}, its {@code seq} and the {@code seq} of the pending delivery of the same key just before it
     * ({@code after}; 0: none, it is the key's first). Its owner sends a key's deliveries one at a time in this chain,
     * and only while the chain is unbroken: a delivery whose predecessor it does not hold goes back to the queue.
     */
    public record Order(String key, long seq, long after) {

        public boolean first() {
            return after == 0;
        }
    }

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
     * which instance sends to it (see {@code delivery.engine}). Its delivery controls as they were when the delivery
     * was read: {@code maxConcurrency} (0: the operator's default), {@code rateLimit} (0: none), the stored
     * {@code headers} (null: none; see {@code DeliveryControls}) and the {@code ordering} key (null: none). Its
     * {@code signatureSchemes} (null: v1, HMAC only; else v1, v1a or v1,v1a) and the sealed Ed25519 secret key of v1a.
     * Its {@code credentials}: OAuth 2.0 and the client certificate ({@link DeliveryCredentials#NONE}: none).
     */
    public record Target(String endpointId, int bucket, String url, byte[] secret, String secretKeyId,
            byte[] previousSecret, String previousSecretKeyId, Instant previousSecretExpiresAt, int maxConcurrency,
            int rateLimit, String headers, String ordering, String signatureSchemes, byte[] signingKey,
            String signingKeyId, DeliveryCredentials credentials) {

        private static final List<String> COLUMNS = java.util.stream.Stream.concat(java.util.stream.Stream.of("id",
                "bucket", "url", "secret_ciphertext", "secret_key_id", "previous_secret_ciphertext",
                "previous_secret_key_id", "previous_secret_expires_at", "max_concurrency", "rate_limit", "headers",
                "ordering", "signature_schemes", "signing_key_ciphertext", "signing_key_key_id"),
                DeliveryCredentials.COLUMNS.stream()).toList();

        public Target {
            credentials = credentials == null ? DeliveryCredentials.NONE : credentials;
        }

        /** The columns of {@code webhook_endpoint} (as {@code alias}) that make a target, as {@link #read} reads. */
        public static String columns(String alias) {
            return String.join(", ", COLUMNS.stream().map(c -> alias + "." + c).toList());
        }

        /** A target without delivery controls. */
        public Target(String endpointId, int bucket, String url, byte[] secret, String secretKeyId,
                byte[] previousSecret, String previousSecretKeyId, Instant previousSecretExpiresAt) {
            this(endpointId, bucket, url, secret, secretKeyId, previousSecret, previousSecretKeyId,
                    previousSecretExpiresAt, 0, 0, null, null, null, null, null, null);
        }

        /** A target signed with HMAC only (v1). */
        public Target(String endpointId, int bucket, String url, byte[] secret, String secretKeyId,
                byte[] previousSecret, String previousSecretKeyId, Instant previousSecretExpiresAt, int maxConcurrency,
                int rateLimit, String headers, String ordering) {
            this(endpointId, bucket, url, secret, secretKeyId, previousSecret, previousSecretKeyId,
                    previousSecretExpiresAt, maxConcurrency, rateLimit, headers, ordering, null, null, null, null);
        }

        public static Target of(WebhookEndpoint e) {
            return new Target(e.id, e.bucket, e.url, e.secretCiphertext, e.secretKeyId, e.previousSecretCiphertext,
                    e.previousSecretKeyId, e.previousSecretExpiresAt, e.maxConcurrency == null ? 0 : e.maxConcurrency,
                    e.rateLimit == null ? 0 : e.rateLimit, e.headers, e.ordering, e.signatureSchemes,
                    e.signingKeyCiphertext, e.signingKeyKeyId, DeliveryCredentials.of(e.auth, e.authSecretCiphertext,
                            e.authSecretKeyId, e.tlsClientCertificate, e.tlsClientKeyCiphertext, e.tlsClientKeyKeyId));
        }

        /** Reads {@link #columns} from {@code rows}, starting at column {@code first}. */
        public static Target read(java.sql.ResultSet rows, int first) throws java.sql.SQLException {
            java.sql.Timestamp previousExpires = rows.getTimestamp(first + 7);
            return new Target(rows.getString(first), rows.getInt(first + 1), rows.getString(first + 2),
                    rows.getBytes(first + 3), rows.getString(first + 4), rows.getBytes(first + 5),
                    rows.getString(first + 6), previousExpires == null ? null : previousExpires.toInstant(),
                    rows.getInt(first + 8), rows.getInt(first + 9), rows.getString(first + 10),
                    rows.getString(first + 11), rows.getString(first + 12), rows.getBytes(first + 13),
                    rows.getString(first + 14), DeliveryCredentials.of(rows.getString(first + 15),
                            rows.getBytes(first + 16), rows.getString(first + 17), rows.getString(first + 18),
                            rows.getBytes(first + 19), rows.getString(first + 20)));
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
