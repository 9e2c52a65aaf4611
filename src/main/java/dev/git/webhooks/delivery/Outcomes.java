package dev.git.webhooks.delivery;

import java.time.Instant;
import java.util.Optional;

import dev.git.webhooks.delivery.http.AttemptResult;
import dev.git.webhooks.delivery.store.AttemptWriter.Recorded;

/**
 * What an attempt means for its delivery: delivered on 2xx; on anything else, the next attempt on the retry
 * schedule or {@code failed} after the last one; 410 Gone fails it and disables the endpoint. Plain logic.
 */
public final class Outcomes {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    private final RetryPolicy retries;

    public Outcomes(RetryPolicy retries) {
        this.retries = retries;
    }

    public Recorded decide(DeliveryJob job, AttemptResult result, Instant now) {
        if (result.succeeded()) {
            return new Recorded(job, result, DELIVERED, null, false);
        }
        Integer status = result.status();
        if (status != null && status == 410) {
            return new Recorded(job, result, FAILED, null, true);
        }
        Optional<java.time.Duration> retryAfter = status != null && (status == 429 || status == 503)
                ? RetryPolicy.parseRetryAfter(result.responseHeaders().get("retry-after"), now)
                : Optional.empty();
        return retries.next(job.attempt(), now, retryAfter)
                .map(next -> new Recorded(job, result, PENDING, next, false))
                .orElseGet(() -> new Recorded(job, result, FAILED, null, false));
    }
}
