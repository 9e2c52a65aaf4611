package dev.git.webhooks.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2025-01-20T14:35:22Z");
    /** The service's real default, read from its configuration mapping (not a copy of it). */
    private static final List<Duration> SCHEDULE = defaultSchedule();

    private static List<Duration> defaultSchedule() {
        try {
            String value = DeliveryConfig.class.getMethod("retrySchedule")
                    .getAnnotation(io.smallrye.config.WithDefault.class).value();
            return java.util.Arrays.stream(value.split(","))
                    .map(io.quarkus.runtime.configuration.DurationConverter::parseDuration).toList();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDefaultScheduleIsTheContractsFiveSecondsToTenHours() {
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)), SCHEDULE);
        assertEquals(Duration.ofHours(27).plusMinutes(35).plusSeconds(5),
                SCHEDULE.stream().reduce(Duration.ZERO, Duration::plus), "about 28 h from the first attempt");
    }

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void followsTheDefaultScheduleForEightAttempts() {
        RetryPolicy policy = new RetryPolicy(SCHEDULE, 0.1, Duration.ofHours(1), fixed(0.5));
        assertEquals(8, policy.maxAttempts());
        for (int attempt = 1; attempt <= 7; attempt++) {
            assertEquals(Optional.of(NOW.plus(SCHEDULE.get(attempt - 1))), policy.next(attempt, NOW,
                    Optional.empty()));
        }
        assertEquals(Optional.empty(), policy.next(8, NOW, Optional.empty()));
    }

    @Test
    void jitterStaysWithinItsFraction() {
        RetryPolicy low = new RetryPolicy(SCHEDULE, 0.1, Duration.ofHours(1), fixed(0.0));
        RetryPolicy high = new RetryPolicy(SCHEDULE, 0.1, Duration.ofHours(1), fixed(0.999999));
        assertEquals(NOW.plusMillis(270_000), low.next(2, NOW, Optional.empty()).orElseThrow());
        assertEquals(NOW.plusMillis(330_000), high.next(2, NOW, Optional.empty()).orElseThrow());
        RetryPolicy real = new RetryPolicy(SCHEDULE, 0.1, Duration.ofHours(1), RandomGenerator.getDefault());
        for (int i = 0; i < 1000; i++) {
            Instant next = real.next(1, NOW, Optional.empty()).orElseThrow();
            assertTrue(!next.isBefore(NOW.plusMillis(4_500)) && !next.isAfter(NOW.plusMillis(5_500)));
        }
    }

    @Test
    void retryAfterIsHonouredButCapped() {
        RetryPolicy policy = new RetryPolicy(SCHEDULE, 0, Duration.ofHours(1), fixed(0.5));
        assertEquals(NOW.plusSeconds(120), policy.next(1, NOW, Optional.of(Duration.ofSeconds(120))).orElseThrow());
        assertEquals(NOW.plusSeconds(300), policy.next(2, NOW, Optional.of(Duration.ofSeconds(10))).orElseThrow());
        assertEquals(NOW.plus(Duration.ofHours(1)), policy.next(1, NOW, Optional.of(Duration.ofDays(3)))
                .orElseThrow());
        assertEquals(Optional.empty(), policy.next(8, NOW, Optional.of(Duration.ofSeconds(1))));
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryPolicy.parseRetryAfter("30", NOW));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(90),
                ZoneOffset.UTC));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryPolicy.parseRetryAfter(date, NOW));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("soon", NOW));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("-5", NOW));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter(null, NOW));
    }
}
