package dev.git.webhooks.ops;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.git.webhooks.common.AdvisoryLocks;
import dev.git.webhooks.outbox.DeliveryChanges;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Deletes, in batches, the deliveries (with their attempts) delivered more than {@code webhooks.retention} ago
 * (30 days) and those that failed or were replayed more than {@code webhooks.retention.failed} ago (90 days: a failed
 * delivery can be replayed for that long after it failed, a customer back from a long outage included, and no
 * longer, so the failed set does not grow forever), then events of that age with no delivery left, finished
 * replays, dead letters redriven or discarded that long ago, and past rate-limit windows. Pending deliveries, and
 * their events, are kept. Each batch is its own transaction that only the instance holding the purge's advisory
 * lock runs.
 */
@ApplicationScoped
public class RetentionPurge {

    /** What one run removed. */
    public record Purged(int deliveries, int events, int replays) {
    }

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    static final long LOCK = 0x7075726765L;

    private final EntityManager em;
    private final DeliveryChanges changes;
    private final RetentionConfig retention;
    private final OpsConfig config;
    private final Clock clock;

    public RetentionPurge(EntityManager em, DeliveryChanges changes, RetentionConfig retention, OpsConfig config,
            Clock clock) {
        this.em = em;
        this.changes = changes;
        this.retention = retention;
        this.config = config;
        this.clock = clock;
    }

    /** The scheduled job's identity (a test pauses it to run the purge alone). */
    public static final String JOB = "retention-purge";

    @Scheduled(identity = JOB, every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
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
        Instant failedCutoff = clock.instant().minus(retention.failed());
        int deliveries = batches(() -> changes.purge(cutoff, failedCutoff, config.purgeBatchSize()));
        int events = batches("""
                delete from event where id in (select e.id from event e where e.received_at < ?1
                and not exists (select 1 from delivery d where d.event_id = e.id) limit ?2)""", cutoff);
        int replays = batches("""
                delete from replay where id in (select id from replay
                where state in ('completed', 'cancelled') and completed_at < ?1 limit ?2)""", cutoff);
        batches("delete from dead_letter where id in (select id from dead_letter where state <> 'new' "
                + "and state_changed_at < ?1 limit ?2)", cutoff);
        batches("delete from rate_limit_window where ctid in (select ctid from rate_limit_window "
                + "where window_start < ?1 limit ?2)", clock.instant().minus(1, ChronoUnit.HOURS));
        return new Purged(deliveries, events, replays);
    }

    private int batches(String sql, Instant cutoff) {
        return batches(() -> em.createNativeQuery(sql).setParameter(1, cutoff)
                .setParameter(2, config.purgeBatchSize()).executeUpdate());
    }

    /** Runs {@code batch} in transactions of its own while it deletes full batches, under the purge's lock. */
    private int batches(java.util.function.IntSupplier batch) {
        int total = 0;
        for (int i = 0; i < config.purgeMaxBatches(); i++) {
            Integer deleted = QuarkusTransaction.requiringNew().call(() -> locked(batch));
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
    Integer locked(java.util.function.IntSupplier batch) {
        if (!AdvisoryLocks.tryForTransaction(em, LOCK)) {
            return null;
        }
        return batch.getAsInt();
    }
}
