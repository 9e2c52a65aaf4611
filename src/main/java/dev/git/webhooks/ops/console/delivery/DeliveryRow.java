package dev.git.webhooks.ops.console.delivery;

import dev.git.webhooks.ops.OpsViews.DeliveryView;
import dev.git.webhooks.ops.health.EndpointLists.Label;
import io.quarkus.qute.TemplateData;

/**
 * A delivery as a list row: the delivery, what its endpoint is called, and whether its endpoint keeps failing (the
 * circuit breaker is open or half open: its deliveries wait for a trial delivery to succeed).
 */
@TemplateData
public record DeliveryRow(DeliveryView d, Label endpoint, boolean breakerOpen) {

    /** Whether it is pending and held back by its endpoint's breaker. */
    public boolean held() {
        return pending() && breakerOpen;
    }

    /** What its endpoint is called; its id when the endpoint is gone. */
    public String endpointName() {
        return endpoint == null ? d.webhookId() : endpoint.name();
    }

    /** Whether its endpoint takes deliveries now: a redelivery can be sent (a deleted one takes none). */
    public boolean endpointTakes() {
        return endpoint != null && endpoint.takes();
    }

    public boolean pending() {
        return "pending".equals(d.status());
    }

    /** Whether the endpoint stopped the delivery after an answer: "HTTP 503, then endpoint disabled". */
    public boolean stoppedAfterAnswer() {
        return d.lastStatus() != null && d.lastError() != null && d.lastError().startsWith("endpoint_");
    }
}
