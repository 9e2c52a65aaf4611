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

/**
 * Endpoint health from recorded outcomes: a success clears an endpoint's failing clock, a failure starts it, and
 * an endpoint failing for {@code webhooks.delivery.auto-disable-after} or answering 410 is disabled.
 */
@ApplicationScoped
public class EndpointHealthListener implements DeliveryListener {

    private static final Logger LOG = Logger.getLogger(EndpointHealthListener.class);

    private final EndpointHealth health;
    private final DeliveryConfig config;
    private final Clock clock;

    public EndpointHealthListener(EndpointHealth health, DeliveryConfig config, Clock clock) {
        this.health = health;
        this.config = config;
        this.clock = clock;
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
        if (healthy.isEmpty() && failing.isEmpty() && gone.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<String> disabled = health.record(healthy, failing, gone, now, now.minus(config.autoDisableAfter()));
        if (!disabled.isEmpty()) {
            LOG.infof("Endpoints auto-disabled: %s", disabled);
        }
    }
}
