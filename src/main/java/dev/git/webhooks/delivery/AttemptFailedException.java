package dev.git.webhooks.delivery;

import dev.git.webhooks.delivery.http.AttemptResult;

/** An attempt that did not get a 2xx, as the circuit breaker counts it. */
public class AttemptFailedException extends RuntimeException {

    private final transient AttemptResult result;

    public AttemptFailedException(AttemptResult result) {
        super(result.summary(), null, false, false);
        this.result = result;
    }

    public AttemptResult result() {
        return result;
    }
}
