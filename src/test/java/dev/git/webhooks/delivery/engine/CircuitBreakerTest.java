package dev.git.webhooks.delivery.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.FakeClock;

class CircuitBreakerTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CircuitBreaker breaker = new CircuitBreaker(4, 0.5, Duration.ofSeconds(30), Duration.ofMinutes(2));

    @Test
    void opensWhenHalfOfTheWindowFailed() {
        attempt(true);
        attempt(false);
        attempt(true);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(clock.instant()), "the window is not full yet");
        attempt(false);
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(clock.instant()));
        assertFalse(breaker.allow(clock.instant()));
        assertEquals(clock.instant().plusSeconds(30), breaker.openUntil());
    }

    @Test
    void staysClosedWhileFewFail() {
        for (int i = 0; i < 20; i++) {
            attempt(i % 4 != 0);
        }
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(clock.instant()));
    }

    @Test
    void halfOpenLetsOneTrialThroughAndASuccessCloses() {
        open();
        clock.advance(Duration.ofSeconds(30));
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state(clock.instant()));
        assertTrue(breaker.allow(clock.instant()));
        assertFalse(breaker.allow(clock.instant()), "one trial at a time");
        breaker.record(true, clock.instant());
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(clock.instant()));
        assertTrue(breaker.allow(clock.instant()));
    }

    @Test
    void aFailedTrialOpensForTwiceAsLongUpToTheMaximum() {
        open();
        Duration expected = Duration.ofSeconds(30);
        for (int round = 0; round < 4; round++) {
            clock.advance(expected);
            assertTrue(breaker.allow(clock.instant()));
            breaker.record(false, clock.instant());
            expected = expected.multipliedBy(2).compareTo(Duration.ofMinutes(2)) > 0 ? Duration.ofMinutes(2)
                    : expected.multipliedBy(2);
            assertEquals(clock.instant().plus(expected), breaker.openUntil(), "round " + round);
        }
        assertEquals(5, breaker.openings());
    }

    @Test
    void aCancelledTrialFreesTheSlot() {
        open();
        clock.advance(Duration.ofSeconds(30));
        assertTrue(breaker.allow(clock.instant()));
        breaker.cancel();
        assertTrue(breaker.allow(clock.instant()));
    }

    private void open() {
        for (int i = 0; i < 4; i++) {
            attempt(false);
        }
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(clock.instant()));
    }

    private void attempt(boolean success) {
        assertTrue(breaker.allow(clock.instant()));
        breaker.record(success, clock.instant());
    }
}
