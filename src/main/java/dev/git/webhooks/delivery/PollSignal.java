package dev.git.webhooks.delivery;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What wakes the {@link Poller} before its interval: due deliveries were queued, or a lane whose deliveries went to
 * the queue has room again ({@link Lane#wantsClaim}). Signals sent while the poller works are spent by its next wait.
 */
final class PollSignal {

    private final Semaphore permits = new Semaphore(0);

    void signal() {
        permits.release();
    }

    /** Waits for a signal at most {@code max}; the signals sent meanwhile are spent with it. */
    void await(Duration max) throws InterruptedException {
        permits.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS);
        permits.drainPermits();
    }
}
