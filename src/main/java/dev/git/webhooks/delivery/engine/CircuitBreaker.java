package dev.git.webhooks.delivery.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * One endpoint's circuit breaker, plain and driven by the caller's clock. Closed, it counts the last
 * {@code volume} attempts and opens when at least {@code ratio} of them failed. Open, it allows nothing until its
 * delay has passed, then one trial attempt (half-open): a success closes it, a failure opens it again for twice
 * the previous delay (up to {@code maxDelay}), so a dead endpoint costs less and less. Used by the engine's one
 * thread only, so it takes no lock.
 */
final class CircuitBreaker {

    enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final int volume;
    private final double ratio;
    private final Duration delay;
    private final Duration maxDelay;
    private final boolean[] window;
    private int recorded;
    private int next;
    private State state = State.CLOSED;
    private Instant openUntil = Instant.MIN;
    private Duration currentDelay;
    private boolean trialRunning;
    private long openings;

    CircuitBreaker(int volume, double ratio, Duration delay, Duration maxDelay) {
        this.volume = volume;
        this.ratio = ratio;
        this.delay = delay;
        this.maxDelay = maxDelay.compareTo(delay) < 0 ? delay : maxDelay;
        this.window = new boolean[volume];
        this.currentDelay = delay;
    }

    /** Whether an attempt may start now; when half-open, only one at a time. */
    boolean allow(Instant now) {
        if (state == State.OPEN && !now.isBefore(openUntil)) {
            state = State.HALF_OPEN;
        }
        if (state == State.HALF_OPEN) {
            if (trialRunning) {
                return false;
            }
            trialRunning = true;
            return true;
        }
        return state == State.CLOSED;
    }

    /** The outcome of an attempt that {@link #allow} let through. */
    void record(boolean success, Instant now) {
        if (state == State.HALF_OPEN) {
            trialRunning = false;
            if (success) {
                close();
            } else {
                open(now, currentDelay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay
                        : currentDelay.multipliedBy(2));
            }
            return;
        }
        if (state == State.OPEN) {
            return; // an attempt that started before the breaker opened
        }
        window[next] = !success;
        next = (next + 1) % volume;
        recorded = Math.min(volume, recorded + 1);
        if (recorded == volume && failures() >= ratio * volume) {
            open(now, delay);
        } else if (success) {
            currentDelay = delay;
        }
    }

    /** An attempt that {@link #allow} let through and that was not made after all. */
    void cancel() {
        trialRunning = false;
    }

    State state(Instant now) {
        return state == State.OPEN && !now.isBefore(openUntil) ? State.HALF_OPEN : state;
    }

    /** Until when nothing may go out (a time in the past when the breaker is not open). */
    Instant openUntil() {
        return state == State.OPEN ? openUntil : Instant.MIN;
    }

    /** How many times it opened (a change is written, so that another owner and the ops views see it). */
    long openings() {
        return openings;
    }

    /** The wait that a failed trial doubles. */
    Duration currentDelay() {
        return currentDelay;
    }

    /**
     * Takes over the state another owner left: open until {@code until} (if still ahead) with that wait, so that an
     * endpoint that moves to this instance is not tried again early.
     */
    void restore(Instant until, Duration wait, Instant now) {
        if (until != null && until.isAfter(now)) {
            state = State.OPEN;
            openUntil = until;
            currentDelay = wait == null || wait.compareTo(delay) < 0 ? delay : wait;
        }
    }

    private void open(Instant now, Duration wait) {
        state = State.OPEN;
        currentDelay = wait;
        openUntil = now.plus(wait);
        openings++;
        recorded = 0;
        next = 0;
    }

    private void close() {
        state = State.CLOSED;
        currentDelay = delay;
        recorded = 0;
        next = 0;
    }

    private int failures() {
        int failures = 0;
        for (boolean failed : window) {
            failures += failed ? 1 : 0;
        }
        return failures;
    }
}
