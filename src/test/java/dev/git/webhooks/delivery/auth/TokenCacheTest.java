package dev.git.webhooks.delivery.auth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.FakeClock;

/** The token cache on a fake clock: kept until shortly before expiry, fetches shared, failures not kept. */
class TokenCacheTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TokenCache cache = new TokenCache(clock);
    private final List<CompletableFuture<TokenCache.Issued>> fetches = new ArrayList<>();
    private final Supplier<CompletionStage<TokenCache.Issued>> fetch = () -> {
        CompletableFuture<TokenCache.Issued> next = new CompletableFuture<>();
        fetches.add(next);
        return next;
    };

    @Test
    void keepsATokenUntilThirtySecondsBeforeItExpires() {
        CompletableFuture<TokenCache.Token> first = cache.token("wh_1", fetch);
        fetches.get(0).complete(new TokenCache.Issued("a", Duration.ofHours(1)));
        assertThat(first.join().value(), equalTo("a"));

        clock.advance(Duration.ofMinutes(59).plusSeconds(29));
        assertThat(cache.token("wh_1", fetch).join().value(), equalTo("a"));
        assertThat(fetches.size(), equalTo(1));

        clock.advance(Duration.ofSeconds(1));
        CompletableFuture<TokenCache.Token> renewed = cache.token("wh_1", fetch);
        assertThat("fetched again 30 s before expiry", fetches.size(), equalTo(2));
        fetches.get(1).complete(new TokenCache.Issued("b", Duration.ofHours(1)));
        assertThat(renewed.join().value(), equalTo("b"));
    }

    @Test
    void renewsAShortLivedTokenAtNinetyPercentOfItsLife() {
        cache.token("wh_1", fetch);
        fetches.get(0).complete(new TokenCache.Issued("a", Duration.ofSeconds(100)));
        clock.advance(Duration.ofSeconds(89));
        cache.token("wh_1", fetch);
        assertThat(fetches.size(), equalTo(1));
        clock.advance(Duration.ofSeconds(1));
        cache.token("wh_1", fetch);
        assertThat(fetches.size(), equalTo(2));
    }

    @Test
    void attemptsThatNeedATokenWhileOneIsFetchedShareThatFetch() {
        CompletableFuture<TokenCache.Token> a = cache.token("wh_1", fetch);
        CompletableFuture<TokenCache.Token> b = cache.token("wh_1", fetch);
        assertThat(fetches.size(), equalTo(1));
        fetches.get(0).complete(new TokenCache.Issued("shared", Duration.ofHours(1)));
        assertThat(a.join().value() + b.join().value(), equalTo("sharedshared"));
    }

    @Test
    void aFailedFetchIsNotKept() {
        CompletableFuture<TokenCache.Token> failed = cache.token("wh_1", fetch);
        fetches.get(0).completeExceptionally(new TokenFailure("down"));
        assertThat(failed.isCompletedExceptionally(), equalTo(true));
        cache.token("wh_1", fetch);
        assertThat("the next attempt asks again", fetches.size(), equalTo(2));
    }

    /** A token that cannot be kept (its renewal time past what an Instant holds) fails its fetch, never hangs it. */
    @Test
    void aTokenThatCannotBeKeptFailsItsFetchAndIsNotKept() {
        CompletableFuture<TokenCache.Token> unkeepable = cache.token("wh_1", fetch);
        fetches.get(0).complete(new TokenCache.Issued("t", Duration.ofSeconds(Long.MAX_VALUE)));
        assertThat("done, not waiting for ever", unkeepable.isCompletedExceptionally(), equalTo(true));
        cache.token("wh_1", fetch);
        assertThat("the next attempt asks again", fetches.size(), equalTo(2));
    }

    @Test
    void aRefusedTokenIsRenewedOnceHoweverManyAttemptsSawTheRefusal() {
        cache.token("wh_1", fetch);
        fetches.get(0).complete(new TokenCache.Issued("revoked", Duration.ofHours(1)));
        TokenCache.Token stale = cache.token("wh_1", fetch).join();

        CompletableFuture<TokenCache.Token> first = cache.refresh("wh_1", stale, fetch);
        CompletableFuture<TokenCache.Token> second = cache.refresh("wh_1", stale, fetch);
        assertThat(fetches.size(), equalTo(2));
        fetches.get(1).complete(new TokenCache.Issued("fresh", Duration.ofHours(1)));
        assertThat(first.join().value() + second.join().value(), equalTo("freshfresh"));
        cache.refresh("wh_1", stale, fetch);
        assertThat("a late refusal of the old token keeps the new one", fetches.size(), equalTo(2));
    }

    @Test
    void endpointsHaveTheirOwnTokens() {
        cache.token("wh_1", fetch);
        cache.token("wh_2", fetch);
        assertThat(fetches.size(), equalTo(2));
    }

    @Test
    void aTokenWithoutLifetimeServesOnlyTheAttemptThatFetchedIt() {
        CompletableFuture<TokenCache.Token> first = cache.token("wh_1", fetch);
        fetches.get(0).complete(new TokenCache.Issued("once", Duration.ZERO));
        assertThat(first.join().value(), equalTo("once"));
        cache.token("wh_1", fetch);
        assertThat(fetches.size(), equalTo(2));
    }
}
