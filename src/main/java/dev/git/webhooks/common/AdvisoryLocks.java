package dev.git.webhooks.common;

import jakarta.persistence.EntityManager;

/** PostgreSQL advisory locks for jobs that one instance at a time may run (replays, the retention purge). */
public final class AdvisoryLocks {

    private AdvisoryLocks() {
    }

    /** Takes the lock for the current transaction if no other holds it; answers whether it did. */
    public static boolean tryForTransaction(EntityManager em, long key) {
        Object locked = em.createNativeQuery("select pg_try_advisory_xact_lock(?1)").setParameter(1, key)
                .getSingleResult();
        return Boolean.TRUE.equals(locked);
    }
}
