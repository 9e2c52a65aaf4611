package dev.git.webhooks.outbox;

import java.time.Instant;

/**
 * An attempt and what follows from it: the delivery's new status and, when it stays pending, when to try again.
 * {@code gone}: the endpoint answered 410 and must be disabled.
 */
public record Outcome(DeliveryJob job, AttemptResult result, DeliveryStatus status, Instant nextAttemptAt,
        boolean gone) {

    public boolean retrying() {
        return status == DeliveryStatus.PENDING;
    }

    /** The same outcome with an answer that PostgreSQL can store for sure (see {@link AttemptResult#scrubbed()}). */
    public Outcome scrubbed() {
        return new Outcome(job, result.scrubbed(), status, nextAttemptAt, gone);
    }
}
