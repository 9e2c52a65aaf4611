package dev.git.webhooks.delivery;

import dev.git.webhooks.outbox.OutboxGauges;

/** For tests in other packages: the delivery gauges now, instead of at their next scheduled refresh. */
public final class DeliveryGauges {

    private DeliveryGauges() {
    }

    public static void refreshNow(EndpointStats stats, OutboxGauges gauges) {
        stats.publish();
        gauges.refresh();
    }

    public static void refreshNow(EndpointHeldBack heldBack) {
        heldBack.refresh();
    }
}
