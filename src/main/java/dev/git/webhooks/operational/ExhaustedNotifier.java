package dev.git.webhooks.operational;

import java.sql.Connection;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.DeliveryListener;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.Outcome;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * {@code delivery.exhausted} for each delivery whose last attempt the engine's writer just committed as failed (its
 * schedule ran out, or the endpoint answered 410), in a transaction of its own. The notice's id derives from the
 * delivery's, so a second try stores nothing new. Never throws into the writer.
 */
@ApplicationScoped
public class ExhaustedNotifier implements DeliveryListener {

    private static final Logger LOG = Logger.getLogger(ExhaustedNotifier.class);

    private final SystemEvents events;
    private final DataSource dataSource;
    private final java.time.Clock clock;

    public ExhaustedNotifier(SystemEvents events, DataSource dataSource, java.time.Clock clock) {
        this.events = events;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public void recorded(List<Outcome> outcomes) {
        List<String> failed = outcomes.stream().filter(o -> o.status() == DeliveryStatus.FAILED)
                .map(o -> o.job().deliveryId()).toList();
        if (failed.isEmpty()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    events.store(connection, Notices.exhausted(connection, failed), clock.instant());
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not store delivery.exhausted for %d deliveries", failed.size());
        }
    }
}
