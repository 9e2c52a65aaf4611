package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * How instances tell each other about the queue, through PostgreSQL's {@code NOTIFY}: sent inside the transaction
 * that queues the rows, so that it arrives exactly when they are there to claim (and not at all if it rolls back).
 * The owner of each endpoint listens ({@code delivery.engine}); a missed signal costs a delay, never a delivery,
 * since every owner also looks at its whole queue every {@code webhooks.delivery.resync-interval}.
 */
public final class Signals {

    /** Payload {@code "<bucket> <endpoint id>"}: deliveries of that endpoint were queued, due now. */
    public static final String DUE = "webhooks_due";

    /** Payload: an endpoint id. It stopped taking deliveries or was deleted: what is held for it is not to be sent. */
    public static final String ENDPOINT = "webhooks_endpoint";

    private Signals() {
    }

    /** Tells the owners of these endpoints, when the caller's transaction commits, that they have rows due. */
    static void due(Connection connection, Collection<String> endpointIds) throws SQLException {
        if (endpointIds.isEmpty()) {
            return;
        }
        try (PreparedStatement notify = connection.prepareStatement("""
                select pg_notify('webhooks_due', w.bucket || ' ' || w.id) from webhook_endpoint w
                where w.id = any (?)""")) {
            notify.setArray(1, Columns.texts(connection, endpointIds));
            notify.executeQuery().close();
        }
    }

    /** Tells every instance, when the caller's transaction commits, that this endpoint changed. */
    static void endpointChanged(Connection connection, String endpointId) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("select pg_notify('webhooks_endpoint', ?)")) {
            notify.setString(1, endpointId);
            notify.executeQuery().close();
        }
    }
}
