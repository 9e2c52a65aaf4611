package dev.git.webhooks.ops.health;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.delivery.Dispatcher;

/**
 * The state of an endpoint's circuit breaker as this instance sees it. Breakers live in each instance's lanes:
 * another instance may see the same endpoint differently; an endpoint with no lane here is {@code closed}.
 */
@ApplicationScoped
public class Breakers {

    private final Dispatcher dispatcher;

    public Breakers(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    public String state(String endpointId) {
        return dispatcher.breakerState(endpointId);
    }
}
