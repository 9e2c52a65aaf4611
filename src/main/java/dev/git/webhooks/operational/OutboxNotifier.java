package dev.git.webhooks.operational;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.store.RecordingListener;
import dev.git.webhooks.subscription.EventTypes;

/**
 * The outbox-side hook: in the transaction that records a batch of attempts, {@code endpoint.disabled} for each
 * endpoint the batch auto-disabled and {@code delivery.exhausted} for each delivery that failed for good. Behind a
 * savepoint: a notification that cannot be stored is logged and dropped, and never holds back the recording.
 */
@ApplicationScoped
public class OutboxNotifier implements RecordingListener {

    private static final Logger LOG = Logger.getLogger(OutboxNotifier.class);

    private final SystemEvents events;

    public OutboxNotifier(SystemEvents events) {
        this.events = events;
    }

    @Override
    public void recorded(Connection connection, List<String> failedDeliveryIds,
            Collection<String> disabledEndpointIds, Instant now) throws SQLException {
        if (failedDeliveryIds.isEmpty() && disabledEndpointIds.isEmpty()) {
            return;
        }
        Savepoint savepoint = connection.setSavepoint();
        try {
            List<SystemEvents.Notice> notices = new ArrayList<>(
                    Notices.endpointsChanged(connection, disabledEndpointIds, EventTypes.ENDPOINT_DISABLED));
            notices.addAll(Notices.exhausted(connection, failedDeliveryIds));
            events.store(connection, notices, now);
            connection.releaseSavepoint(savepoint);
        } catch (SQLException | RuntimeException e) {
            connection.rollback(savepoint);
            LOG.errorf(e, "Could not store operational notifications for %d failed deliveries and %d disabled "
                    + "endpoints; the attempts are recorded without them", failedDeliveryIds.size(),
                    disabledEndpointIds.size());
        }
    }
}
