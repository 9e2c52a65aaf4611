package dev.git.webhooks.delivery.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * OAuth 2.0 access tokens per endpoint (and per stored form of its settings), kept until shortly before they expire:
 * a token is renewed at 90% of its lifetime, at most 30 s early. Attempts that need a token while one is being
 * fetched share that fetch, so that a burst of deliveries asks the token endpoint once; a failed fetch is not kept
 * (the next attempt asks again, on the retry schedule). Plain logic on a {@link Clock}; thread-safe, never blocks.
 */
public final class TokenCache {

    /** A token and when to stop using it. */
    public record Token(String value, Instant renewAt) {

        @Override
        public String toString() {
            return "Token[renewAt=" + renewAt + "]";
        }
    }

    /** What a token endpoint issued: the token and how long it lives ({@code expires_in}). */
    public record Issued(String value, Duration lifetime) {
    }

    static final Duration MAX_EARLY = Duration.ofSeconds(30);
    private static final int MAX_KEPT = 10_000;

    private final Clock clock;
    private final Map<String, CompletableFuture<Token>> tokens = new ConcurrentHashMap<>();

    public TokenCache(Clock clock) {
        this.clock = clock;
    }

    /** The token of {@code key}: the kept one while it is fresh, the fetch in flight, or a new {@code fetch}. */
    public CompletableFuture<Token> token(String key, Supplier<CompletionStage<Issued>> fetch) {
        if (tokens.size() > MAX_KEPT) {
            tokens.clear();
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Token>[] started = new CompletableFuture[1];
        CompletableFuture<Token> current = tokens.compute(key, (k, kept) -> {
            if (kept != null && (!kept.isDone() || fresh(kept))) {
                return kept;
            }
            started[0] = new CompletableFuture<>();
            return started[0];
        });
        if (started[0] != null) {
            start(key, started[0], fetch);
        }
        return current;
    }

    /**
     * A new token for {@code key} after a receiver refused {@code stale}: fetched once however many attempts saw the
     * refusal (those that come after the first share its fetch, or the token it got).
     */
    public CompletableFuture<Token> refresh(String key, Token stale, Supplier<CompletionStage<Issued>> fetch) {
        tokens.computeIfPresent(key, (k, kept) -> kept.isDone() && !kept.isCompletedExceptionally()
                && kept.join().equals(stale) ? null : kept);
        return token(key, fetch);
    }

    private boolean fresh(CompletableFuture<Token> kept) {
        return !kept.isCompletedExceptionally() && clock.instant().isBefore(kept.join().renewAt());
    }

    private void start(String key, CompletableFuture<Token> future, Supplier<CompletionStage<Issued>> fetch) {
        Instant asked = clock.instant();
        CompletionStage<Issued> issued;
        try {
            issued = fetch.get();
        } catch (RuntimeException e) {
            issued = CompletableFuture.failedFuture(e);
        }
        issued.whenComplete((token, error) -> {
            Throwable failed = error;
            if (failed == null) {
                try {
                    future.complete(new Token(token.value(), renewAt(asked, token.lifetime())));
                    return;
                } catch (RuntimeException e) {
                    failed = e; // a lifetime past what an Instant holds, say: the fetch failed, it does not hang
                }
            }
            tokens.remove(key, future);
            future.completeExceptionally(failed);
        });
    }

    /** When a token asked for at {@code asked} that lives {@code lifetime} is renewed (from the ask: the safe side). */
    static Instant renewAt(Instant asked, Duration lifetime) {
        Duration early = lifetime.dividedBy(10);
        return asked.plus(lifetime).minus(early.compareTo(MAX_EARLY) > 0 ? MAX_EARLY : early);
    }
}
