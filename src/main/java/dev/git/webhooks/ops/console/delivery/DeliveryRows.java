package dev.git.webhooks.ops.console.delivery;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.ops.OpsViews.DeliveryView;
import dev.git.webhooks.ops.health.Breakers;
import dev.git.webhooks.ops.health.EndpointLists;

/** Makes list rows of deliveries: their endpoints' names in one read, and whether a breaker holds them back. */
@ApplicationScoped
public class DeliveryRows {

    private final EndpointLists endpoints;
    private final Breakers breakers;

    public DeliveryRows(EndpointLists endpoints, Breakers breakers) {
        this.endpoints = endpoints;
        this.breakers = breakers;
    }

    public List<DeliveryRow> of(List<DeliveryView> deliveries) {
        var labels = endpoints.labels(deliveries.stream().map(DeliveryView::webhookId).toList());
        // held while the breaker is open, and while it is half open too: the others wait behind its one trial
        return deliveries.stream().map(d -> new DeliveryRow(d, labels.get(d.webhookId()),
                held(breakers.state(d.webhookId())))).toList();
    }

    private static boolean held(String breaker) {
        return "open".equals(breaker) || "half_open".equals(breaker);
    }
}
