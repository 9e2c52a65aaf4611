package dev.git.webhooks.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.engine.DeliveryEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code webhooks_endpoint_held_back{webhook_id, control}}: deliveries an endpoint's own controls hold back (SPEC §12).
 * {@code control="rate_limit"}: those its owner's lane holds, waiting for the rate (this instance's endpoints; sum
 * over instances). {@code control="ordering"}: pending deliveries behind an earlier pending one of the same key, read
 * from the queue (the same figure on every instance; take the max).
 */
@ApplicationScoped
public class EndpointHeldBack {

    private static final Logger LOG = Logger.getLogger(EndpointHeldBack.class);

    private final DeliveryEngine engine;
    private final DataSource dataSource;
    private final MultiGauge gauge;

    public EndpointHeldBack(DeliveryEngine engine, DataSource dataSource, MeterRegistry metrics) {
        this.engine = engine;
        this.dataSource = dataSource;
        this.gauge = MultiGauge.builder("webhooks.endpoint.held.back")
                .description("Deliveries an endpoint's own controls hold back (control: rate_limit, ordering)")
                .register(metrics);
    }

    @Scheduled(every = "15s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Map.Entry<String, Integer> held : engine.view().rateHeld().entrySet()) {
            rows.add(MultiGauge.Row.of(Tags.of("webhook_id", held.getKey(), "control", "rate_limit"),
                    held.getValue()));
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select endpoint_id, count(*) - count(distinct order_key) from delivery
                        where order_key is not null and next_attempt_at is not null
                        group by endpoint_id""");
                ResultSet result = query.executeQuery()) {
            while (result.next()) {
                long behind = result.getLong(2);
                if (behind > 0) {
                    rows.add(MultiGauge.Row.of(Tags.of("webhook_id", result.getString(1), "control", "ordering"),
                            behind));
                }
            }
        } catch (SQLException e) {
            LOG.debug("Could not count the deliveries held back by ordering", e);
        }
        gauge.register(rows, true);
    }
}
