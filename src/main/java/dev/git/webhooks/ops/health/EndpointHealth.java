package dev.git.webhooks.ops.health;

import java.time.Instant;

/**
 * How an endpoint is doing: its state, its circuit breaker (as this instance sees it), and over the last hour its
 * attempts, success ratio and p95 latency from event to 2xx; its last error and its oldest pending delivery.
 * {@code successRatio} and {@code p95LatencyMs} are null when there is nothing to measure.
 */
public record EndpointHealth(String webhookId, String owner, String url, String state, boolean active,
        String disabledReason, Instant failingSince, String breaker, long attemptsLastHour, Double successRatio,
        Long p95LatencyMs, String lastError, Instant lastErrorAt, long pending, Instant oldestPendingAt) {

    /** The success ratio as a whole percentage for pages, or null. */
    public Long successPercent() {
        return successRatio == null ? null : Math.round(successRatio * 100);
    }
}
