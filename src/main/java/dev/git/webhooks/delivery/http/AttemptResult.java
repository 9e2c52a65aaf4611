package dev.git.webhooks.delivery.http;

import java.time.Instant;
import java.util.Map;

/**
 * What happened to one attempt: the answer of the endpoint ({@code status}, headers, the start of the body) or why
 * there was none ({@code errorClass}, such as {@code timeout} or {@code connection_refused}).
 */
public record AttemptResult(Instant startedAt, long durationMs, Map<String, String> requestHeaders, Integer status,
        Map<String, String> responseHeaders, String responseBody, String errorClass, String errorMessage) {

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
}
