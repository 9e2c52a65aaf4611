package dev.git.webhooks.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import dev.git.webhooks.delivery.engine.DeliveryEngine;
import dev.git.webhooks.delivery.engine.View;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.NewDelivery;
import dev.git.webhooks.outbox.OutboxStore;

/**
 * The one way new deliveries enter, whoever makes them (ingest, ping, redeliver, replay, enable, recover,
 * operational notifications): inserted in the caller's transaction, and, once it has committed, the ones this
 * instance sends handed to its engine. A delivery is inserted claimed by this instance (fresh: no queue index, sent
 * from memory) when the engine takes its endpoint now ({@link View#takes}); otherwise it goes to the queue, due when
 * the endpoint can take it, and the endpoint's owner, on whichever instance, is told at the commit.
 */
@ApplicationScoped
public class Handoff {

    private final OutboxStore outbox;
    private final DeliveryEngine engine;
    private final TransactionSynchronizationRegistry transactions;

    public Handoff(OutboxStore outbox, DeliveryEngine engine, TransactionSynchronizationRegistry transactions) {
        this.outbox = outbox;
        this.engine = engine;
        this.transactions = transactions;
    }

    /**
     * Inserts the deliveries on the connection of the caller's (JTA) transaction; the fresh ones reach the engine when
     * it commits (not at all if it rolls back or its outcome is unknown: then the orphan sweep finds them). Answers
     * the fresh ones.
     */
    public List<DeliveryJob> insert(Connection connection, List<NewDelivery> deliveries, Instant now)
            throws SQLException {
        return insert(connection, deliveries, now, 0);
    }

    /**
     * Deliveries created at {@code now} may be inserted fresh later in the caller's transaction, after work that can
     * wait (locks): from here on the heartbeat's reaper bound reaches back to {@code now}. Answers the entry to give
     * to {@link #insert(Connection, List, Instant, long)}, or to {@link #abandon} if the caller fails before.
     */
    public long opening(Instant now) {
        return engine.inserting(now);
    }

    public void abandon(long entry) {
        engine.abandon(entry);
    }

    /** {@link #insert(Connection, List, Instant)} under an entry from {@link #opening} (0: none yet). */
    public List<DeliveryJob> insert(Connection connection, List<NewDelivery> deliveries, Instant now, long opened)
            throws SQLException {
        if (deliveries.isEmpty()) {
            engine.abandon(opened);
            return List.of();
        }
        View view = engine.view();
        List<NewDelivery> routed = new ArrayList<>(deliveries.size());
        List<DeliveryEngine.Queued> queuedHere = new ArrayList<>();
        Set<String> tell = new HashSet<>();
        for (NewDelivery d : deliveries) {
            boolean sendHere = d.fresh() && d.target() != null && view.takes(d.endpointId(), d.target().bucket());
            NewDelivery delivery = sendHere || !d.fresh() ? d : d.dueAt(view.dueAt(d.endpointId(), now));
            routed.add(delivery);
            if (!delivery.fresh()) {
                if (d.target() != null && view.buckets().contains(d.target().bucket())) {
                    queuedHere.add(new DeliveryEngine.Queued(d.endpointId(), d.target().bucket(), delivery.dueAt()));
                } else {
                    tell.add(d.endpointId()); // another instance's (or unknown here): told through PostgreSQL
                }
            }
        }
        // fresh rows are created at now, before the commit: the reaper's bound reaches back to them from here on
        long entry = opened;
        if (routed.stream().noneMatch(NewDelivery::fresh)) {
            engine.abandon(entry); // nothing on its way to the engine
            entry = 0;
        } else if (entry == 0) {
            entry = engine.inserting(now);
        }
        List<DeliveryJob> jobs;
        try {
            jobs = outbox.insert(connection, routed, now, tell);
        } catch (SQLException | RuntimeException e) {
            engine.abandon(entry);
            throw e;
        }
        if (jobs.isEmpty() && queuedHere.isEmpty()) {
            engine.abandon(entry);
        } else {
            afterCommit(jobs, queuedHere, entry);
        }
        return jobs;
    }

    private void afterCommit(List<DeliveryJob> jobs, List<DeliveryEngine.Queued> queuedHere, long entry) {
        try {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        engine.offer(jobs, entry); // durable now: send at once, whatever happens next
                        engine.queued(queuedHere); // this instance's own endpoints: no signal through PostgreSQL
                    } else {
                        engine.abandon(entry);
                    }
                }
            });
        } catch (RuntimeException e) {
            engine.abandon(entry);
            throw e;
        }
    }
}
