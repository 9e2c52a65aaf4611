package dev.git.webhooks.ops;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.git.webhooks.common.AdvisoryLocks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Deletes, in batches, delivered deliveries (with their attempts) older than {@code webhooks.retention}, then
 * events of that age with no delivery left, finished replays, dead letters redriven or discarded that long ago, and
 * past rate-limit windows. Failed and pending
 * deliveries, and their events, are kept: they can still be replayed. Each batch is its own transaction that only
 * the instance holding the purge's advisory lock runs.
 */
@ApplicationScoped
public class RetentionPurge {

    /** What one run removed. */
    public record Purged(int deliveries, int events, int replays) {
    }

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    static final long LOCK = 0x7075726765L;

    private final EntityManager em;
    private final RetentionConfig retention;
    private final OpsConfig config;
    private final Clock clock;

    public RetentionPurge(EntityManager em, RetentionConfig retention, OpsConfig config, Clock clock) {
        this.em = em;
        this.retention = retention;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            Purged purged = purge();
            if (purged.deliveries() + purged.events() + purged.replays() > 0) {
                LOG.infof("Retention purge removed %d deliveries, %d events, %d replays", purged.deliveries(),
                        purged.events(), purged.replays());
            }
        } catch (RuntimeException e) {
            LOG.warn("The retention purge failed; the next run tries again", e);
        }
    }

    /** Runs the purge now, up to the configured number of batches of each kind. */
    public Purged purge() {
        Instant cutoff = clock.instant().minus(retention.period());
        int deliveries = batches("""
                delete from delivery where id in (select id from delivery
                where status = 'delivered' and completed_at < ?1 limit ?2)""", cutoff);
        int events = batches("""
                delete from event where id in (select e.id from event e where e.received_at < ?1
                and not exists (select 1 from delivery d where d.event_id = e.id) limit ?2)""", cutoff);
        int replays = batches("""
                delete from replay where id in (select id from replay
                where state = 'completed' and completed_at < ?1 limit ?2)""", cutoff);
        batches("delete from dead_letter where id in (select id from dead_letter where state <> 'new' "
                + "and state_changed_at < ?1 limit ?2)", cutoff);
        batches("delete from rate_limit_window where ctid in (select ctid from rate_limit_window "
                + "where window_start < ?1 limit ?2)", clock.instant().minus(1, ChronoUnit.HOURS));
        return new Purged(deliveries, events, replays);
    }

    private int batches(String sql, Instant cutoff) {
        int total = 0;
        for (int i = 0; i < config.purgeMaxBatches(); i++) {
            Integer deleted = QuarkusTransaction.requiringNew().call(() -> batch(sql, cutoff));
            if (deleted == null) {
                return total; // another instance is purging
            }
            total += deleted;
            if (deleted < config.purgeBatchSize()) {
                break;
            }
        }
        return total;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Integer batch(String sql, Instant cutoff) {
        if (!AdvisoryLocks.tryForTransaction(em, LOCK)) {
            return null;
        }
        return em.createNativeQuery(sql).setParameter(1, cutoff).setParameter(2, config.purgeBatchSize())
                .executeUpdate();
    }
}
