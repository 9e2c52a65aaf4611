package dev.git.webhooks.operational;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.git.webhooks.outbox.OutboxException;
import dev.git.webhooks.subscription.EventTypes;
import dev.git.webhooks.subscription.WebhookEndpoints;

/**
 * {@code endpoint.disabled} and {@code endpoint.enabled}, stored in the transaction that changes the endpoint, so
 * that the notice exists exactly when the change does: disabling (auto-disable by endpoint health, or by hand) is
 * observed through {@link WebhookEndpoints.Stopped}, which fires inside that transaction; enabling calls
 * {@link #enabled} from its own.
 */
@ApplicationScoped
public class EndpointNotices {

    static final String DISABLED = "endpoint_disabled";

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

    void disabled(@Observes WebhookEndpoints.Stopped stopped) {
        if (DISABLED.equals(stopped.reason())) {
            store(stopped.endpointId(), EventTypes.ENDPOINT_DISABLED);
        }
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
