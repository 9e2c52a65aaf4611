package dev.git.webhooks.ops.deadletter;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A dead letter as the API shows it: why, from where, when, its state, and a safe preview of its value (and key).
 * Headers (in the single view) show their names and a preview of their values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterView(
        @Schema(example = "dlq_s3c4dwa7n36096q14dr9gp") String id,
        @Schema(example = "invalid_field", description = "The reason code (docs/events.md), such as invalid_json, "
                + "invalid_field or unstorable.") String reason,
        @Schema(example = "'timestamp' must be an RFC 3339 date-time (offset Z or ±hh:mm) between "
                + "1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z") String message,
        @Schema(description = "Where the record was read.") Source source,
        @Schema(example = "2025-01-20T14:41:12Z") Instant failedAt,
        @Schema(example = "2025-01-20T14:41:13Z") Instant indexedAt,
        @Schema(example = "new", description = "new, redriven or discarded.") String state,
        @Schema(example = "2025-01-20T15:02:40Z") Instant stateChangedAt,
        @Schema(example = "key_9ee0zbgj09tqm83xssss6y", description = "The key that redrove or discarded it.")
        String stateChangedBy,
        @Schema(description = "The record's value.") Preview preview,
        @Schema(description = "The record's key, when it has one.") Preview keyPreview,
        @Schema(description = "In the single view only.") List<HeaderView> headers,
        @Schema(description = "Where it is in the dead-letter topic.") Location dlq) {

    public record Source(
            @Schema(example = "deploy.failed") String topic,
            @Schema(example = "3") Integer partition,
            @Schema(example = "18211") Long offset) {
    }

    public record Location(
            @Schema(example = "webhooks.dlq") String topic,
            @Schema(example = "0") int partition,
            @Schema(example = "512") long offset) {
    }

    public record HeaderView(
            @Schema(example = "traceparent") String name,
            Preview value) {
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
