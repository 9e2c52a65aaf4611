package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.git.webhooks.subscription.WebhookEndpoints;

/**
 * When an endpoint stops taking deliveries (switched off, auto-disabled), its pending deliveries fail in the same
 * transaction, whoever holds them (they stay listed and replayable); when it is deleted, its deliveries go with it.
 */
@ApplicationScoped
public class EndpointStops {

    public static final String DELETED = "endpoint_deleted";

    private final DataSource dataSource;
    private final DeliveryChanges outbox;
    private final Clock clock;

    public EndpointStops(DataSource dataSource, DeliveryChanges outbox, Clock clock) {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.clock = clock;
    }

    void stopped(@Observes WebhookEndpoints.Stopped stopped) {
        try (Connection connection = dataSource.getConnection()) {
            if (DELETED.equals(stopped.reason())) {
                outbox.deleteForEndpoint(connection, stopped.endpointId());
            } else {
                outbox.failPending(connection, List.of(stopped.endpointId()), stopped.reason(), clock.instant());
            }
        } catch (SQLException e) {
            throw new OutboxException("stopping the deliveries of " + stopped.endpointId() + " failed", e);
        }
    }
}
