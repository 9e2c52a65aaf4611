package dev.git.webhooks.delivery.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Told, inside the transaction that records a batch of attempts and on its connection, what the batch decided: the
 * deliveries that failed for good and the endpoints it disabled. What a listener writes commits or rolls back with
 * the batch (operational notifications use this: no callback into the delivery core, no second transaction).
 */
public interface RecordingListener {

    void recorded(Connection connection, List<String> failedDeliveryIds, Collection<String> disabledEndpointIds,
            Instant now) throws SQLException;
}
