package dev.git.webhooks.ops.deadletter;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A dead letter as the API shows it: why, from where, when, its state, and a safe preview of its value (and key).
 * Headers (in the single view) show their names and a preview of their values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterView(String id, String reason, String message, Source source, Instant failedAt,
        Instant indexedAt, String state, Instant stateChangedAt, String stateChangedBy, Preview preview,
        Preview keyPreview, List<HeaderView> headers, Location dlq) {

    public record Source(String topic, Integer partition, Long offset) {
    }

    public record Location(String topic, int partition, long offset) {
    }

    public record HeaderView(String name, Preview value) {
    }

    public static DeadLetterView of(DeadLetter d, int previewBytes, List<HeaderView> headers) {
        return new DeadLetterView(d.id, d.reason, d.message, new Source(d.sourceTopic, d.sourcePartition,
                d.sourceOffset), d.failedAt, d.indexedAt, d.state, d.stateChangedAt, d.stateChangedBy,
                Preview.of(d.recordValue, previewBytes), d.recordKey == null ? null : Preview.of(d.recordKey, 200),
                headers, new Location(d.dlqTopic, d.dlqPartition, d.dlqOffset));
    }

    public boolean redrivable() {
        return DeadLetter.NEW.equals(state);
    }
}
