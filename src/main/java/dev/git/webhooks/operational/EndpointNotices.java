package dev.git.webhooks.operational;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.git.webhooks.delivery.store.OutboxException;
import dev.git.webhooks.subscription.EventTypes;

/**
 * {@code endpoint.enabled} and {@code endpoint.disabled} for changes made through the API or the console, stored in
 * the caller's transaction (the one that changed the endpoint), so that the notice exists exactly when the change
 * does.
 */
@ApplicationScoped
public class EndpointNotices {

    private final SystemEvents events;
    private final DataSource dataSource;
    private final EntityManager em;
    private final Clock clock;

    public EndpointNotices(SystemEvents events, DataSource dataSource, EntityManager em, Clock clock) {
        this.events = events;
        this.dataSource = dataSource;
        this.em = em;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enabled(String endpointId) {
        store(endpointId, EventTypes.ENDPOINT_ENABLED);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void disabled(String endpointId) {
        store(endpointId, EventTypes.ENDPOINT_DISABLED);
    }

    private void store(String endpointId, String type) {
        em.flush(); // the endpoint's new state, for the notice and for who receives it
        try (Connection connection = dataSource.getConnection()) {
            events.store(connection, Notices.endpointsChanged(connection, List.of(endpointId), type), clock.instant());
        } catch (SQLException e) {
            throw new OutboxException("storing " + type + " for " + endpointId + " failed", e);
        }
    }
}
