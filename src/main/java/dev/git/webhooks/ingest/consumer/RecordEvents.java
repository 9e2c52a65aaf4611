package dev.git.webhooks.ingest.consumer;

import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import dev.git.webhooks.ingest.EventValidator;
import dev.git.webhooks.ingest.IncomingEvent;
import dev.git.webhooks.ingest.Rfc3339;
import dev.git.webhooks.tracing.TraceParent;

/** The event a valid record becomes: its envelope, its exact bytes, where it was read, when and in which trace. */
final class RecordEvents {

    private RecordEvents() {
    }

    /** The record's Kafka timestamp, when PostgreSQL can store it as it is; otherwise none (null). */
    static Instant appendedAt(long timestamp) {
        if (timestamp < 0) {
            return null;
        }
        Instant instant = Instant.ofEpochMilli(timestamp);
        return Rfc3339.inRange(instant) ? instant : null;
    }

    /**
     * Records up to this size keep the validator's tree with their event (a batch holds at most
     * {@code max-poll-records} of them); a larger one is parsed again where it is needed, so that a batch of large
     * events never holds their trees, several times their bytes, on the heap at once.
     */
    static final int KEEP_TREE_BYTES = 16 * 1024;

    static IncomingEvent event(ConsumerRecord<byte[], byte[]> record, EventValidator.Envelope e) {
        return new IncomingEvent(e.id(), e.type(), e.owner(), e.repo(), e.occurredAt(), record.value(),
                record.topic(), record.partition(), record.offset(), appendedAt(record.timestamp()),
                traceparent(record), record.value().length <= KEEP_TREE_BYTES ? e.json() : null);
    }

    /** The producer's trace context (W3C {@code traceparent} header), checked and normalised, or null. */
    private static String traceparent(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(TraceParent.HEADER);
        return header == null ? null : TraceParent.parse(header.value());
    }
}
