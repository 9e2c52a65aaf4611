package dev.git.webhooks.ops.health;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How an endpoint is doing: its state, its circuit breaker (one for the whole cluster, kept by the endpoint's
 * owner), and over the last hour its attempts, success ratio and p95 latency from event to 2xx; its last error
 * and its oldest pending delivery.
 * {@code successRatio} and {@code p95LatencyMs} are null when there is nothing to measure.
 */
public record EndpointHealth(
        @Schema(example = "wh_2b9c1f0e") String webhookId,
        @Schema(example = "acme") String owner,
        @Schema(example = "https://ci.example.com/hooks/git-dev") String url,
        @Schema(example = "enabled", description = "The endpoint's status: enabled, disabled or auto_disabled.")
        String state,
        @Schema(example = "true") boolean active,
        @Schema(example = "failing", description = "Why it was disabled.") String disabledReason,
        @Schema(example = "2025-01-20T13:05:00Z", description = "Since when every attempt fails.")
        Instant failingSince,
        @Schema(example = "open", description = "closed, open or half_open: the endpoint's one breaker, "
                + "whichever instance answers.")
        String breaker,
        @Schema(example = "42") long attemptsLastHour,
        @Schema(example = "0.25", description = "Of the last hour's attempts, from 0 to 1 (those of "
                + "the endpoint's newest webhooks.ops.health-sample deliveries, 2,000 by default).")
        Double successRatio,
        @Schema(example = "840", description = "From the event's arrival to the endpoint's 2xx.")
        Long p95LatencyMs,
        @Schema(example = "http_status (HTTP 503)", description = "The latest attempt's error, as a delivery's "
                + "last_error says it.") String lastError,
        @Schema(example = "2025-01-20T14:35:53Z") Instant lastErrorAt,
        @Schema(example = "17") long pending,
        @Schema(example = "2025-01-20T13:05:00Z") Instant oldestPendingAt) {

    /** The success ratio as a whole percentage for pages, or null. */
    public Long successPercent() {
        return successRatio == null ? null : Math.round(successRatio * 100);
    }
}
