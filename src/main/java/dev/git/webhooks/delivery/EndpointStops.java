package dev.git.webhooks.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.git.webhooks.delivery.store.OutboxException;
import dev.git.webhooks.delivery.store.OutboxStore;
import dev.git.webhooks.subscription.WebhookEndpoints;

/**
 * When a customer switches an endpoint off, its pending deliveries fail in the same transaction (they stay listed
 * and replayable) instead of waiting forever.
 */
@ApplicationScoped
public class EndpointStops {

    private final DataSource dataSource;
    private final Clock clock;

    public EndpointStops(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void failPending(@Observes WebhookEndpoints.Stopped stopped) {
        try (Connection connection = dataSource.getConnection()) {
            lock(connection, stopped.endpointId());
            OutboxStore.failPending(connection, List.of(stopped.endpointId()), stopped.reason(), clock.instant());
        } catch (SQLException e) {
            throw new OutboxException("failing the pending deliveries of " + stopped.endpointId() + " failed", e);
        }
    }

    /**
     * Locks the endpoint's row before failing its deliveries (the entity's own update is flushed only at commit):
     * a fan-out that holds it {@code for share} is waited for, so that its rows are failed too, and a later one
     * waits for this transaction and then leaves the endpoint out.
     */
    private static void lock(Connection connection, String endpointId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select id from webhook_endpoint where id = ? for no key update")) {
            select.setString(1, endpointId);
            select.executeQuery().close();
        }
    }
}
