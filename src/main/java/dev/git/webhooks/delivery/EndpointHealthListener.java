package dev.git.webhooks.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.subscription.EndpointHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Endpoint health from recorded outcomes: a success clears an endpoint's failing clock, a failure starts it, and
 * an endpoint failing for {@code webhooks.delivery.auto-disable-after} or answering 410 is disabled, and counted in
 * {@code webhooks_endpoints_auto_disabled_total} (registered at once, so that an alert sees 0 before the first).
 */
@ApplicationScoped
public class EndpointHealthListener implements DeliveryListener {

    private static final Logger LOG = Logger.getLogger(EndpointHealthListener.class);

    private final EndpointHealth health;
    private final DeliveryConfig config;
    private final Clock clock;
    private final Counter autoDisabled;
    /**
     * Endpoints written healthy (no failing clock) lately, and until when that is taken as known: a success of one of
     * them changes nothing, so it costs no transaction. A failure forgets it at once; the entry is trusted a minute at
     * most, in case another instance (a former owner) wrote a failure meanwhile.
     */
    private final java.util.Map<String, Instant> knownHealthy = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.time.Duration KNOWN = java.time.Duration.ofMinutes(1);
    private static final int KNOWN_KEPT = 10_000;

    public EndpointHealthListener(EndpointHealth health, DeliveryConfig config, Clock clock, MeterRegistry metrics) {
        this.health = health;
        this.config = config;
        this.clock = clock;
        this.autoDisabled = Counter.builder("webhooks.endpoints.auto_disabled")
                .description("Endpoints the service disabled: 410 Gone, or failing too long").register(metrics);
    }

    @Override
    public void recorded(List<Outcome> outcomes) {
        Set<String> healthy = new LinkedHashSet<>();
        Set<String> failing = new LinkedHashSet<>();
        Set<String> gone = new LinkedHashSet<>();
        for (Outcome o : outcomes) {
            String endpoint = o.job().endpointId();
            if (o.result().succeeded()) {
                healthy.add(endpoint);
            } else if (o.gone()) {
                gone.add(endpoint);
            } else {
                failing.add(endpoint);
            }
        }
        failing.removeAll(healthy);
        Instant now = clock.instant();
        healthy.removeIf(id -> {
            Instant until = knownHealthy.get(id);
            return until != null && now.isBefore(until);
        });
        failing.forEach(knownHealthy::remove);
        gone.forEach(knownHealthy::remove);
        if (healthy.isEmpty() && failing.isEmpty() && gone.isEmpty()) {
            return;
        }
        List<String> disabled = health.record(healthy, failing, gone, now, now.minus(config.autoDisableAfter()));
        if (knownHealthy.size() + healthy.size() > KNOWN_KEPT) {
            knownHealthy.clear();
        }
        healthy.forEach(id -> knownHealthy.put(id, now.plus(KNOWN)));
        if (!disabled.isEmpty()) {
            LOG.infof("Endpoints auto-disabled: %s", disabled);
            autoDisabled.increment(disabled.size());
        }
    }
}
