package dev.git.webhooks.api.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Requests a minute per key in fixed one-minute windows kept in PostgreSQL, so that every instance counts against
 * the same limit. The first request of a window also records when the key was last used.
 */
@ApplicationScoped
public class RateLimiter {

    private final EntityManager em;
    private final Clock clock;

    public RateLimiter(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional
    public RateLimitDecision hit(String keyId, int limit) {
        return hit(keyId, keyId, limit);
    }

    /**
     * Counts a request of {@code keyId} in the window of {@code bucket}: its own id for API calls, another name for
     * requests that have a limit of their own (the console's), which still mark the key as used.
     */
    @Transactional
    public RateLimitDecision hit(String bucket, String keyId, int limit) {
        Instant now = clock.instant();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        Number count = (Number) em.createNativeQuery("""
                insert into rate_limit_window (key_id, window_start, count) values (?1, ?2, 1)
                on conflict (key_id, window_start) do update set count = rate_limit_window.count + 1
                returning count""")
                .setParameter(1, bucket)
                .setParameter(2, window)
                .getSingleResult();
        int used = count.intValue();
        if (used == 1 && !Caller.ADMIN_KEY_ID.equals(keyId)) {
            em.createNativeQuery("update api_key set last_used_at = ?1 where id = ?2")
                    .setParameter(1, now).setParameter(2, keyId).executeUpdate();
        }
        long reset = window.plus(1, ChronoUnit.MINUTES).getEpochSecond();
        return new RateLimitDecision(limit, Math.max(0, limit - used), reset, used <= limit);
    }
}
