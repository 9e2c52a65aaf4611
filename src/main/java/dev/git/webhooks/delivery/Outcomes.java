package dev.git.webhooks.delivery;

import java.time.Instant;
import java.util.Optional;

import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.Outcome;

/**
 * What an attempt means for its delivery: delivered on 2xx; on anything else, the next attempt on the retry
 * schedule or {@code failed} after the last one; 410 Gone fails it and disables the endpoint. Plain logic.
 */
public final class Outcomes {

    private final RetryPolicy retries;

    public Outcomes(RetryPolicy retries) {
        this.retries = retries;
    }

    public Outcome decide(DeliveryJob job, AttemptResult result, Instant now) {
        if (result.succeeded()) {
            return new Outcome(job, result, DeliveryStatus.DELIVERED, null, false);
        }
        Integer status = result.status();
        if (status != null && status == 410) {
            return new Outcome(job, result, DeliveryStatus.FAILED, null, true);
        }
        Optional<java.time.Duration> retryAfter = status != null && (status == 429 || status == 503)
                ? RetryPolicy.parseRetryAfter(result.responseHeaders().get("retry-after"), now)
                : Optional.empty();
        return retries.next(job.attempt(), now, retryAfter)
                .map(next -> new Outcome(job, result, DeliveryStatus.PENDING, next, false))
                .orElseGet(() -> new Outcome(job, result, DeliveryStatus.FAILED, null, false));
    }
}
