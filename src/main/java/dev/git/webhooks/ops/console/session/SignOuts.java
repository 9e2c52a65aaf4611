package dev.git.webhooks.ops.console.session;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The console sessions ended by signing out ({@code console_sign_out}, by the nonce sealed in the cookie). Clearing
 * the cookie is not enough: a copy of it (a second tab's, a stolen one) would stay valid until it expires. Rows are
 * kept until the session would have expired anyway, and each sign-out deletes the older ones.
 */
@ApplicationScoped
public class SignOuts {

    private final EntityManager em;
    private final ConsoleConfig config;
    private final Clock clock;

    public SignOuts(EntityManager em, ConsoleConfig config, Clock clock) {
        this.em = em;
        this.config = config;
        this.clock = clock;
    }

    /** Ends the session of {@code nonce}; kept for one session timeout from now, past which it expires anyway. */
    @Transactional
    public void end(String nonce) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(config.sessionTimeout());
        em.createNativeQuery("delete from console_sign_out where expires_at < ?1").setParameter(1, now)
                .executeUpdate();
        em.createNativeQuery("insert into console_sign_out (nonce, expires_at) values (?1, ?2) "
                + "on conflict (nonce) do nothing").setParameter(1, nonce).setParameter(2, expiresAt).executeUpdate();
    }

    /** Whether the session of {@code nonce} was signed out. */
    @Transactional
    public boolean ended(String nonce) {
        return !em.createNativeQuery("select 1 from console_sign_out where nonce = ?1").setParameter(1, nonce)
                .getResultList().isEmpty();
    }
}
