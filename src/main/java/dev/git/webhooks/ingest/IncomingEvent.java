package dev.git.webhooks.ingest;

import java.time.Instant;

/**
 * A valid event read from Kafka: its envelope fields, the exact record bytes, where it came from, and the producer's
 * trace context ({@code traceparent}, normalised; null when it sent none).
 */
public record IncomingEvent(String id, String type, String owner, String repo, Instant occurredAt, byte[] payload,
        String topic, int partition, long offset, Instant appendedAt, String traceparent) {

    /** The record it was read from, {@code topic/partition@offset}: one event id can come in several records. */
    public String source() {
        return topic + "/" + partition + "@" + offset;
    }
}
