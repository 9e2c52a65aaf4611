package dev.git.webhooks.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.engine.DeliveryEngine;
import dev.git.webhooks.delivery.engine.View;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code webhooks_endpoint_held_back{webhook_id, control}}: deliveries an endpoint's own controls hold back (SPEC §12).
 * {@code control="rate_limit"}: those waiting for its rate, in its owner's lane and due in the queue behind it, counted
 * by its owner alone (sum over instances). {@code control="ordering"}: pending deliveries behind an earlier pending one
 * of the same key, read from the queue (the same figure on every instance; take the max).
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
        View view = engine.view();
        Map<String, Long> rateHeld = new HashMap<>();
        view.rateHeld().forEach((endpoint, held) -> rateHeld.put(endpoint, (long) held));
        try (Connection connection = dataSource.getConnection()) {
            // the rate-limited endpoints' due backlog, waiting in the queue until their lanes have room (the owner's)
            try (PreparedStatement query = connection.prepareStatement("""
                    select d.endpoint_id, w.bucket, count(*) from webhook_endpoint w
                    join delivery d on d.endpoint_id = w.id
                    where w.rate_limit is not null and w.status = 'enabled' and w.active and w.bucket = any (?)
                    and d.next_attempt_at <= now() and d.claim is null
                    group by d.endpoint_id, w.bucket""")) {
                query.setArray(1, connection.createArrayOf("integer",
                        (view.sending() ? view.buckets() : java.util.Set.<Integer>of()).toArray()));
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        rateHeld.merge(result.getString(1), result.getLong(3), Long::sum);
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement("""
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
            }
        } catch (SQLException e) {
            LOG.debug("Could not count the deliveries held back by the rate or ordering", e);
        }
        rateHeld.forEach((endpoint, held) -> rows.add(MultiGauge.Row.of(Tags.of("webhook_id", endpoint, "control",
                "rate_limit"), held)));
        gauge.register(rows, true);
    }
}
