package dev.git.webhooks.delivery;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.outbox.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The delivery metrics, observed through {@link DeliveryListener}: attempt durations by result, recorded outcomes
 * ({@code delivered}, {@code retrying}, {@code failed}), and the busiest endpoints' success ratio. Each outcome's
 * series exists at 0 from start-up, so that an alert's {@code rate()} or {@code increase()} counts the first outcomes
 * after a restart.
 */
@Startup
@ApplicationScoped
public class DeliveryMetrics implements DeliveryListener {

    private static final Logger LOG = Logger.getLogger(DeliveryMetrics.class);
    private static final String RETRYING = "retrying";
    /** The values of the {@code outcome} label. */
    public static final List<String> OUTCOMES = List.of(DeliveryStatus.DELIVERED.value(), RETRYING,
            DeliveryStatus.FAILED.value());

    private final MeterRegistry metrics;
    private final EndpointStats stats;
    private final Timer succeeded;
    private final Timer failed;
    /** One counter per outcome, looked up once rather than registered again for every delivery. */
    private final java.util.Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry metrics, EndpointStats stats) {
        this.metrics = metrics;
        this.stats = stats;
        this.succeeded = attemptTimer("success");
        this.failed = attemptTimer("failure");
        OUTCOMES.forEach(this::counter);
    }

    @Override
    public void attempted(Outcome outcome) {
        (outcome.result().succeeded() ? succeeded : failed)
                .record(java.time.Duration.ofMillis(outcome.result().durationMs()));
    }

    @Override
    public void recorded(List<Outcome> outcomes) {
        Set<String> failedNow = new TreeSet<>();
        for (Outcome o : outcomes) {
            counter(o.retrying() ? RETRYING : o.status().value()).increment();
            stats.attempted(o.job().endpointId(), o.result().succeeded());
            if (!o.retrying() && !o.result().succeeded()) {
                failedNow.add(o.job().deliveryId());
            }
        }
        if (!failedNow.isEmpty()) {
            LOG.debugf("Deliveries failed for good: %s", failedNow);
        }
    }

    private Counter counter(String outcome) {
        return counters.computeIfAbsent(outcome, value -> Counter.builder("webhooks.deliveries").tag("outcome", value)
                .register(metrics));
    }

    private Timer attemptTimer(String result) {
        return Timer.builder("webhooks.delivery.attempt")
                .description("Duration of delivery attempts, from the start of the request to the answer")
                .tag("result", result)
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(metrics);
    }
}
