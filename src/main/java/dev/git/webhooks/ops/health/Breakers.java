package dev.git.webhooks.ops.health;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The state of an endpoint's circuit breaker as this instance sees it, read from the fault-tolerance metrics
 * ({@code ft.circuitbreaker.state.current}, tagged with the guard's description {@code endpoint <id>}). Breakers
 * live in each instance: another instance may see the same endpoint differently. No lane here: {@code closed}.
 */
@ApplicationScoped
public class Breakers {

    static final String GAUGE = "ft.circuitbreaker.state.current";

    private final MeterRegistry metrics;

    public Breakers(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public String state(String endpointId) {
        for (String state : new String[] {"open", "halfOpen"}) {
            Gauge gauge = metrics.find(GAUGE).tag("method", "endpoint " + endpointId).tag("state", state).gauge();
            if (gauge != null && gauge.value() > 0) {
                return "open".equals(state) ? "open" : "half_open";
            }
        }
        return "closed";
    }
}
