package dev.git.webhooks.delivery.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;

/**
 * The {@code Authorization} header of an attempt to an endpoint with OAuth 2.0, and what the attempt log keeps of it:
 * the scheme, never the token.
 */
public final class Authorization {

    static final String HEADER = "Authorization";
    static final String REDACTED = "Bearer [redacted]";

    private Authorization() {
    }

    /** {@code headers} with the bearer token; a static header of the same name (any case) gives way to it. */
    public static Map<String, String> with(Map<String, String> headers, TokenCache.Token token) {
        Map<String, String> sent = new LinkedHashMap<>(headers);
        sent.keySet().removeIf(HEADER::equalsIgnoreCase);
        sent.put(HEADER, "Bearer " + token.value());
        return sent;
    }

    /** {@code result} as the attempt log keeps it: the token redacted. */
    public static AttemptResult redacted(DeliveryJob job, AttemptResult result) {
        if (!job.target().credentials().hasOAuth() || result.requestHeaders() == null
                || !result.requestHeaders().containsKey(HEADER)) {
            return result;
        }
        Map<String, String> logged = new LinkedHashMap<>(result.requestHeaders());
        logged.put(HEADER, REDACTED);
        return new AttemptResult(result.startedAt(), result.durationMs(), logged, result.status(),
                result.responseHeaders(), result.responseBody(), result.errorClass(), result.errorMessage());
    }

    /**
     * The result of an attempt that got no token: error class {@code auth}, with what the token endpoint did. Anything
     * but a {@link TokenFailure} is not the token endpoint's doing and goes on as the failure it is.
     */
    public static AttemptResult failed(Map<String, String> headers, Instant started, long startNanos, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof TokenFailure)) {
            throw error instanceof CompletionException c ? c : new CompletionException(cause);
        }
        return AttemptResult.error(started, (System.nanoTime() - startNanos) / 1_000_000, headers, "auth",
                "No access token: " + cause.getMessage());
    }
}
