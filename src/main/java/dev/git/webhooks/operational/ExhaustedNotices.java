package dev.git.webhooks.operational;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import dev.git.webhooks.outbox.DeliveriesFailed;
import dev.git.webhooks.outbox.OutboxException;

/**
 * {@code delivery.exhausted} for each delivery that failed for good, stored with its deliveries in the transaction
 * that failed it ({@link DeliveriesFailed}): the recording of its last attempt, or its endpoint's stop (disabled by
 * hand or by the service, switched off). The notice exists exactly when the failure does: a transaction that rolls
 * back takes both away, one that commits has both. Its id derives from the delivery's ({@code evt_exhausted_dlv_…},
 * the event's primary key, inserted with {@code on conflict do nothing}), so that a transaction tried again after
 * an unknown outcome cannot store a second one. A failure to store it fails that transaction, which is tried again
 * as a whole (the engine's writer, the stop's request).
 */
@ApplicationScoped
public class ExhaustedNotices {

    private final SystemEvents events;
    private final DataSource dataSource;
    private final EntityManager em;
    private final Clock clock;

    public ExhaustedNotices(SystemEvents events, DataSource dataSource, EntityManager em, Clock clock) {
        this.events = events;
        this.dataSource = dataSource;
        this.em = em;
        this.clock = clock;
    }

    void failed(@Observes DeliveriesFailed failed) {
        em.flush(); // a stopping endpoint's new state: it is not among those its notices are sent to
        // the connection of the transaction that failed them: it sees their new state, and the notices commit with it
        try (Connection connection = dataSource.getConnection()) {
            events.store(connection, Notices.exhausted(connection, failed.deliveryIds()), clock.instant());
        } catch (SQLException e) {
            throw new OutboxException("storing delivery.exhausted for " + failed.deliveryIds().size()
                    + " deliveries failed", e);
        }
    }
}
