package dev.git.webhooks.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try again: the configured schedule with jitter, never earlier than a {@code Retry-After} that the endpoint
 * sent with 429 or 503 (capped). Plain logic: time and randomness come in.
 */
public final class RetryPolicy {

    private final List<Duration> schedule;
    private final double jitter;
    private final Duration retryAfterCap;
    private final RandomGenerator random;

    public RetryPolicy(List<Duration> schedule, double jitter, Duration retryAfterCap, RandomGenerator random) {
        this.schedule = List.copyOf(schedule);
        this.jitter = jitter;
        this.retryAfterCap = retryAfterCap;
        this.random = random;
    }

    public int maxAttempts() {
        return schedule.size() + 1;
    }

    /** The time of the next attempt after attempt number {@code attempt} failed, or empty when that was the last. */
    public Optional<Instant> next(int attempt, Instant now, Optional<Duration> retryAfter) {
        if (attempt >= maxAttempts()) {
            return Optional.empty();
        }
        Duration base = schedule.get(attempt - 1);
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        Instant next = now.plusMillis(Math.round(base.toMillis() * factor));
        if (retryAfter.isPresent()) {
            Duration wait = retryAfter.get().compareTo(retryAfterCap) > 0 ? retryAfterCap : retryAfter.get();
            Instant earliest = now.plus(wait);
            if (earliest.isAfter(next)) {
                next = earliest;
            }
        }
        return Optional.of(next);
    }

    /** {@code Retry-After} as seconds or as an HTTP date. */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
