package dev.git.webhooks.delivery;

import java.sql.Connection;
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
            OutboxStore.failPending(connection, List.of(stopped.endpointId()), stopped.reason(), clock.instant());
        } catch (SQLException e) {
            throw new OutboxException("failing the pending deliveries of " + stopped.endpointId() + " failed", e);
        }
    }
}
