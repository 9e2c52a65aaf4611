package dev.git.webhooks.outbox;

import java.time.Instant;
import java.util.Map;

/**
 * What happened to one attempt: the answer of the endpoint ({@code status}, headers, the start of the body) or why
 * there was none ({@code errorClass}, such as {@code timeout} or {@code connection_refused}).
 */
public record AttemptResult(Instant startedAt, long durationMs, Map<String, String> requestHeaders, Integer status,
        Map<String, String> responseHeaders, String responseBody, String errorClass, String errorMessage) {

    private static final int MAX_MESSAGE = 1000;

    public boolean succeeded() {
        return status != null && status >= 200 && status < 300;
    }

    public static AttemptResult error(Instant startedAt, long durationMs, Map<String, String> requestHeaders,
            String errorClass, String errorMessage) {
        return new AttemptResult(startedAt, durationMs, requestHeaders, null, Map.of(), null, errorClass,
                errorMessage);
    }

    /** A short description for the delivery's {@code last_error}. */
    public String summary() {
        if (status != null) {
            return errorClass == null ? "HTTP " + status : errorClass + " (HTTP " + status + ")";
        }
        return errorClass;
    }

    /**
     * The result without what the endpoint sent (headers and body, which could hold anything) and with a plain
     * message: what is recorded when the full result could not be stored.
     */
    public AttemptResult scrubbed() {
        String message = errorMessage == null ? null : Text.clean(errorMessage, MAX_MESSAGE);
        return new AttemptResult(startedAt, durationMs, requestHeaders, status, Map.of(),
                responseBody == null ? null : "(the answer could not be stored)", errorClass, message);
    }
}
