package dev.git.webhooks.common;

import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * A warning that may repeat many times a second (the database is away, a poison record is retried): the first one
 * is logged, then at most one line per interval saying how many more there were, and one line when it stops.
 */
public final class LogThrottle {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong suppressed = new AtomicLong();
    private volatile long lastLogged;
    private volatile boolean failing;

    public LogThrottle(Logger log, java.time.Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Something failed again. */
    public void warn(String message) {
        long now = System.nanoTime();
        if (!failing || now - lastLogged >= intervalNanos) {
            long more = suppressed.getAndSet(0);
            log.warn(more == 0 ? message : message + " (and " + more + " times more since the last line)");
            lastLogged = now;
            failing = true;
        } else {
            suppressed.incrementAndGet();
        }
    }

    /** It works again. */
    public void recovered(String message) {
        if (failing) {
            failing = false;
            long more = suppressed.getAndSet(0);
            log.info(more == 0 ? message : message + " (after " + more + " more failures)");
        }
    }
}
