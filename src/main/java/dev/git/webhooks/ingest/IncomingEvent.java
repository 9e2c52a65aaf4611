package dev.git.webhooks.ingest;

import java.time.Instant;

/** A valid event read from Kafka: its envelope fields, the exact record bytes, and where it came from. */
public record IncomingEvent(String id, String type, String owner, String repo, Instant occurredAt, byte[] payload,
        String topic, int partition, long offset, Instant appendedAt) {
}
