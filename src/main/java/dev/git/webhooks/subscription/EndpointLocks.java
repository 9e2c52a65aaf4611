package dev.git.webhooks.subscription;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The one lock order for writes that change several {@code webhook_endpoint} rows: by id, the order in which ingest
 * reads them {@code for share} while it fans events out. Two such transactions never wait for each other in a circle.
 */
final class EndpointLocks {

    private EndpointLocks() {
    }

    static void byId(Connection connection, Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement lock = connection.prepareStatement(
                "select id from webhook_endpoint where id = any (?) order by id for no key update")) {
            lock.setArray(1, connection.createArrayOf("text", ids.toArray()));
            lock.executeQuery().close();
        }
    }
}
