package dev.git.webhooks.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import dev.git.webhooks.outbox.Delivery;
import dev.git.webhooks.outbox.DeliveryAttempt;

/** How the ops API shows deliveries, attempts, events and replays. */
public final class OpsViews {

    private OpsViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(
            @Schema(example = "dlv_m9s346q3d25vt4f5v37e3s") String id,
            @Schema(example = "acme") String owner,
            @Schema(example = "evt_9x31q") String eventId,
            @Schema(example = "deploy.failed") String eventType,
            @Schema(example = "wh_2b9c1f0e") String webhookId,
            @Schema(example = "failed", description = "pending, delivered, failed or replayed.") String status,
            @Schema(example = "8", description = "Attempts made so far.") int attempts,
            @Schema(example = "2025-01-20T14:36:22Z", description = "When the next attempt is due; absent once "
                    + "the delivery is done.") Instant nextAttemptAt,
            @Schema(example = "2025-01-20T14:35:53Z") Instant lastAttemptAt,
            @Schema(example = "503", description = "The HTTP status of the last attempt, if it got an answer.")
            Integer lastStatus,
            @Schema(example = "http_status (HTTP 503)", description = "Why the last attempt failed, absent when it "
                    + "succeeded: its error class (timeout, connection_refused, …), with the status for an answer "
                    + "that was not 2xx (http_status (HTTP 503), redirect (HTTP 302)); endpoint_disabled or "
                    + "endpoint_inactive when the endpoint stopped and failed the delivery.") String lastError,
            @Schema(example = "184", description = "How long the last attempt took, in milliseconds.")
            Integer lastDurationMs,
            @Schema(example = "2025-01-20T14:35:22Z") Instant createdAt,
            @Schema(example = "2025-01-20T14:35:53Z") Instant completedAt,
            @Schema(example = "dlv_3e28jt97kb6cq643dzvmxx", description = "The delivery this one redelivers.")
            String redeliveryOf,
            @Schema(example = "rpl_qkfbf5kznwj47tan9zt24m", description = "The replay that made this delivery.")
            String replayId,
            @Schema(example = "dlv_5v0k8qm2x7c4jz9ht3wb1e", description = "The delivery that sent this one again: its "
                    + "copy, made by a redelivery or a replay (this one is then replayed).") String replayedBy,
            @Schema(description = "Every attempt, in the single view only.") List<AttemptView> attemptLog) {

        public static DeliveryView of(Delivery d) {
            return of(d, null);
        }

        public static DeliveryView of(Delivery d, List<AttemptView> attempts) {
            return new DeliveryView(d.id, d.owner, d.eventId, d.eventType, d.endpointId, d.status, d.attempts,
                    d.nextAttemptAt, d.lastAttemptAt, d.lastStatus, d.lastError, d.lastDurationMs, d.createdAt,
                    d.completedAt,
                    d.redeliveryOf, d.replayId, d.replayedBy, attempts);
        }
    }

    public record AttemptView(
            @Schema(example = "1") int attempt,
            @Schema(example = "2025-01-20T14:35:23Z") Instant startedAt,
            @Schema(example = "5012") int durationMs,
            @Schema(example = """
                    {"webhook-id":"evt_9x31q","webhook-timestamp":"1737383723",\
                    "webhook-signature":"v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",\
                    "User-Agent":"git.dev-Webhooks/1.0.0"}""", description = "The headers sent (signature "
                    + "headers, not the secret).") Map<String, String> requestHeaders,
            @Schema(example = "503", description = "Absent when there was no answer.") Integer responseStatus,
            @Schema(example = "{\"content-type\":\"text/plain\",\"retry-after\":\"30\"}")
            Map<String, String> responseHeaders,
            @Schema(example = "Service Unavailable", description = "The start of the answer's body.")
            String responseBody,
            @Schema(example = "http_status", description = "http_status for an answer that was not 2xx (its code "
                    + "in response_status), redirect for a 3xx, or why there was no answer: timeout, "
                    + "connection_refused, tls_error, auth (no OAuth token: the token endpoint failed)…; absent on "
                    + "success.") String errorClass,
            @Schema(example = "No complete answer within 10000 ms", description = "What went wrong when there was "
                    + "no answer; absent for an HTTP answer.") String errorMessage) {

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

    /** An event in a list: what it is and when it came (its payload and deliveries: {@code GET /v2/events/{id}}). */
    public record EventSummary(
            @Schema(example = "evt_9x31q") String id,
            @Schema(example = "deploy.failed") String type,
            @Schema(example = "acme") String owner,
            @Schema(example = "acme/backend-api", nullable = true) String repo,
            @Schema(example = "2025-01-20T14:41:10Z", description = "When the producer says it happened.")
            Instant timestamp,
            @Schema(example = "2025-01-20T14:41:11Z") Instant receivedAt) {

        static EventSummary of(Event e) {
            return new EventSummary(e.id, e.type, e.owner, e.repo, e.occurredAt, e.receivedAt);
        }
    }

    /** The event with its payload exactly as the producer wrote it. */
    public record EventView(
            @Schema(example = "evt_9x31q") String id,
            @Schema(example = "deploy.failed") String type,
            @Schema(example = "acme") String owner,
            @Schema(example = "acme/backend-api") String repo,
            @Schema(example = "2025-01-20T14:41:10Z", description = "When the producer says it happened.")
            Instant timestamp,
            @Schema(example = "2025-01-20T14:41:11Z") Instant receivedAt,
            @Schema(type = SchemaType.OBJECT, description = "The event as the producer wrote it, a JSON object.",
                    example = """
                    {"event":"deploy.failed","id":"evt_9x31q","timestamp":"2025-01-20T14:41:10Z","owner":"acme",\
                    "repo":"acme/backend-api","data":{"deployment_id":"dep_8k20p","environment":"staging",\
                    "error":"health check timed out","duration_ms":61000}}""") @JsonRawValue String payload,
            List<DeliveryView> deliveries) {
    }

    /** A replay; {@code batch_id} when a bulk request started it together with others. */
    public record ReplayView(
            @Schema(example = "rpl_qkfbf5kznwj47tan9zt24m") String id,
            @Schema(example = "acme") String owner,
            @Schema(example = "wh_2b9c1f0e") String webhookId,
            @Schema(example = "rpb_dj8fssz5awsh8vhtpre95b", description = "Only when a bulk replay started it.")
            @JsonInclude(JsonInclude.Include.NON_NULL) String batchId,
            @Schema(example = "running", description = "pending, running, completed or cancelled.") String state,
            @Schema(example = "false") boolean dryRun,
            Filter filter,
            @Schema(example = "120", description = "Deliveries that match the filter; for a recover, "
                    + "the owner's events received in its window.") int total,
            @Schema(example = "45") int processed,
            @Schema(example = "0.375", description = "processed / total, from 0 to 1 (0 for a dry run).")
            double progress,
            @Schema(example = "2025-01-21T09:00:00Z") Instant createdAt,
            @Schema(example = "2025-01-21T09:00:01Z") Instant startedAt,
            @Schema(example = "2025-01-21T09:02:30Z") Instant completedAt) {

        public record Filter(
                @Schema(example = "failed") String status,
                @Schema(example = "2025-01-20T14:35:22Z") Instant since,
                @Schema(example = "2025-01-21T00:00:00Z") Instant until,
                @Schema(example = "[\"deploy.failed\"]") List<String> events) {
        }

        public static ReplayView of(Replay r) {
            // processed can end below or above total: the deliveries that match change while it runs (docs/api.md)
            double progress = r.total == 0 || Replay.COMPLETED.equals(r.state) ? 1.0
                    : Math.min(1.0, (double) r.processed / r.total);
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
