package dev.git.webhooks.ops.health;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

import dev.git.webhooks.subscription.EndpointBreakers;

/**
 * The state of an endpoint's circuit breaker, one for the whole cluster: its owner writes it when it opens or closes,
 * so every instance shows the same ({@code closed}, {@code open}, or {@code half_open} once its wait has passed).
 */
@ApplicationScoped
public class Breakers {

    private final EndpointBreakers breakers;
    private final Clock clock;

    public Breakers(EndpointBreakers breakers, Clock clock) {
        this.breakers = breakers;
        this.clock = clock;
    }

    public String state(String endpointId) {
        return breakers.state(endpointId, clock.instant());
    }
}
