package dev.git.webhooks.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import dev.git.webhooks.outbox.Delivery;
import dev.git.webhooks.outbox.DeliveryAttempt;

/** How the ops API shows deliveries, attempts, events and replays. */
public final class OpsViews {

    private OpsViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(String id, String owner, String eventId, String eventType, String webhookId,
            String status, int attempts, Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatus, String lastError,
            Instant createdAt, Instant completedAt, String redeliveryOf, String replayId, String replayedBy,
            List<AttemptView> attemptLog) {

        public static DeliveryView of(Delivery d) {
            return of(d, null);
        }

        public static DeliveryView of(Delivery d, List<AttemptView> attempts) {
            return new DeliveryView(d.id, d.owner, d.eventId, d.eventType, d.endpointId, d.status, d.attempts,
                    d.nextAttemptAt, d.lastAttemptAt, d.lastStatus, d.lastError, d.createdAt, d.completedAt,
                    d.redeliveryOf, d.replayId, d.replayedBy, attempts);
        }
    }

    public record AttemptView(int attempt, Instant startedAt, int durationMs, Map<String, String> requestHeaders,
            Integer responseStatus, Map<String, String> responseHeaders, String responseBody, String errorClass,
            String errorMessage) {

        /**
         * A delivery's successful last attempt, kept in the delivery's row (an attempt that failed has a row of its
         * own).
         */
        public static AttemptView lastOf(Delivery d) {
            return new AttemptView(d.attempts, d.lastAttemptAt, d.lastDurationMs == null ? 0 : d.lastDurationMs,
                    dev.git.webhooks.outbox.LastAttempt.requestHeaders(d.lastRequestSigned, d.lastRequestSigning,
                            d.id, d.eventId, d.eventType, d.attempts),
                    d.lastStatus, d.lastResponseHeaders, d.lastResponseBody, null, null);
        }

        public static AttemptView of(DeliveryAttempt a) {
            return new AttemptView(a.attempt, a.startedAt, a.durationMs, a.requestHeaders, a.responseStatus,
                    a.responseHeaders, a.responseBody, a.errorClass, a.errorMessage);
        }
    }

    /** The event with its payload exactly as the producer wrote it. */
    public record EventView(String id, String type, String owner, String repo, Instant timestamp, Instant receivedAt,
            @JsonRawValue String payload, List<DeliveryView> deliveries) {
    }

    /** A replay; {@code batch_id} when a bulk request started it together with others. */
    public record ReplayView(String id, String owner, String webhookId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String batchId, String state, boolean dryRun, Filter filter,
            int total, int processed, double progress, Instant createdAt, Instant startedAt, Instant completedAt) {

        public record Filter(String status, Instant since, Instant until, List<String> events) {
        }

        public static ReplayView of(Replay r) {
            double progress = r.total == 0 ? 1.0 : Math.min(1.0, (double) r.processed / r.total);
            return new ReplayView(r.id, r.owner, r.endpointId, r.batchId, r.state, r.dryRun,
                    new Filter(r.statusFilter, r.since, r.until, r.events), r.total, r.processed,
                    r.dryRun ? 0.0 : progress, r.createdAt, r.startedAt, r.completedAt);
        }

        /** Progress as a whole percentage, for pages. */
        public long percent() {
            return Math.round(progress * 100);
        }

        public boolean active() {
            return Replay.PENDING.equals(state) || Replay.RUNNING.equals(state);
        }
    }
}
