package dev.git.webhooks.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.Outcome;

class OutcomesTest {

    private static final Instant NOW = Instant.parse("2025-01-20T14:35:22Z");
    private final Outcomes outcomes = new Outcomes(new RetryPolicy(List.of(Duration.ofSeconds(5),
            Duration.ofMinutes(5)), 0, Duration.ofMinutes(10), RandomGenerator.getDefault()));

    @Test
    void aTwoHundredAnythingDelivers() {
        Outcome r = outcomes.decide(job(1), answer(202, Map.of()), NOW);
        assertEquals(DeliveryStatus.DELIVERED, r.status());
        assertNull(r.nextAttemptAt());
    }

    @Test
    void otherStatusesAndErrorsRetryOnSchedule() {
        assertEquals(NOW.plusSeconds(5), outcomes.decide(job(1), answer(500, Map.of()), NOW).nextAttemptAt());
        assertEquals(NOW.plusSeconds(300), outcomes.decide(job(2), answer(404, Map.of()), NOW).nextAttemptAt());
        Outcome timeout = outcomes.decide(job(1), AttemptResult.error(NOW, 10_000, Map.of(), "timeout", "slow"),
                NOW);
        assertEquals(DeliveryStatus.PENDING, timeout.status());
    }

    @Test
    void theLastFailedAttemptFails() {
        Outcome r = outcomes.decide(job(3), answer(500, Map.of()), NOW);
        assertEquals(DeliveryStatus.FAILED, r.status());
        assertFalse(r.gone());
    }

    @Test
    void goneFailsAtOnceAndMarksTheEndpoint() {
        Outcome r = outcomes.decide(job(1), answer(410, Map.of()), NOW);
        assertEquals(DeliveryStatus.FAILED, r.status());
        assertTrue(r.gone());
    }

    @Test
    void retryAfterCountsOnlyOn429And503() {
        assertEquals(NOW.plusSeconds(60), outcomes.decide(job(1), answer(429, Map.of("retry-after", "60")), NOW)
                .nextAttemptAt());
        assertEquals(NOW.plusSeconds(60), outcomes.decide(job(1), answer(503, Map.of("retry-after", "60")), NOW)
                .nextAttemptAt());
        assertEquals(NOW.plusSeconds(5), outcomes.decide(job(1), answer(500, Map.of("retry-after", "60")), NOW)
                .nextAttemptAt());
    }

    private static DeliveryJob job(int attempt) {
        return new DeliveryJob("dlv_1", "evt_1", "repo.push", new byte[0], attempt, "i_1.1", NOW, NOW.plusSeconds(60),
                new DeliveryJob.Target("wh_1", 1, "https://example.com", new byte[0], "k", null, null, null),
                "org-1", DeliveryJob.Trace.NONE);
    }

    private static AttemptResult answer(int status, Map<String, String> headers) {
        return new AttemptResult(NOW, 5, Map.of(), status, headers, "", status / 100 == 2 ? null : "http_status",
                null);
    }
}
