package dev.git.webhooks.api.auth;

/** Where a key stands in the current one-minute window. */
public record RateLimitDecision(int limit, int remaining, long resetEpochSecond, boolean allowed) {
}
