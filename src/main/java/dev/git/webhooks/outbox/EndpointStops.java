package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.git.webhooks.subscription.OwnershipCheck;
import dev.git.webhooks.subscription.WebhookEndpoints;

/**
 * When an endpoint stops taking deliveries (switched off, auto-disabled), its pending deliveries fail in the same
 * transaction, whoever holds them (they stay listed and replayable); when it is deleted, its deliveries go with it;
 * when it waits for its ownership check (a new URL), they wait in the queue and go to the new URL once it passes;
 * when it is only called differently ({@link WebhookEndpoints#CHANGED}), they stay queued as they are. Either way
 * its owner, on whichever instance, hears of it at the commit ({@link Signals#ENDPOINT}).
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
            lock(connection, stopped.endpointId());
            if (DELETED.equals(stopped.reason())) {
                outbox.deleteForEndpoint(connection, stopped.endpointId());
            } else if (!OwnershipCheck.STOPPED.equals(stopped.reason()) // those wait for the check to pass
                    && !WebhookEndpoints.CHANGED.equals(stopped.reason())) {
                stopped.failed().addAndGet(outbox.failPending(connection, List.of(stopped.endpointId()),
                        stopped.reason(), clock.instant()));
            }
            Signals.endpointChanged(connection, stopped.endpointId()); // its owner drops what it holds
        } catch (SQLException e) {
            throw new OutboxException("stopping the deliveries of " + stopped.endpointId() + " failed", e);
        }
    }

    /**
     * Locks the endpoint's row before touching its deliveries (the entity's own update is flushed only at commit):
     * a fan-out that holds it {@code for share} (ingest's {@code EventStore}) is waited for, so that its new rows
     * are failed too, and a later one waits for this transaction and then leaves the endpoint out.
     */
    private static void lock(Connection connection, String endpointId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select id from webhook_endpoint where id = ? for no key update")) {
            select.setString(1, endpointId);
            select.executeQuery().close();
        }
    }
}
