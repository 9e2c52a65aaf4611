package dev.git.webhooks.ingest;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A valid event read from Kafka: its envelope fields, the exact record bytes, where it came from, the producer's
 * trace context ({@code traceparent}, normalised; null when it sent none), and the JSON the validator parsed from the
 * bytes ({@code json}; null for an event that was never a record, such as a ping or a notice), so that the filters,
 * the ordering keys and the schema check do not parse each event again.
 */
public record IncomingEvent(String id, String type, String owner, String repo, Instant occurredAt, byte[] payload,
        String topic, int partition, long offset, Instant appendedAt, String traceparent, JsonNode json) {

    /** An event without its parsed JSON: read from {@link #payload} where it is needed. */
    public IncomingEvent(String id, String type, String owner, String repo, Instant occurredAt, byte[] payload,
            String topic, int partition, long offset, Instant appendedAt, String traceparent) {
        this(id, type, owner, repo, occurredAt, payload, topic, partition, offset, appendedAt, traceparent, null);
    }

    /** The record it was read from, {@code topic/partition@offset}: one event id can come in several records. */
    public String source() {
        return topic + "/" + partition + "@" + offset;
    }
}
