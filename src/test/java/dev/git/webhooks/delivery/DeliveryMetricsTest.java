package dev.git.webhooks.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The outcome counter that the failure-ratio alert reads with {@code rate()} has a series for every outcome before
 * the first delivery: the first failures after a restart count.
 */
class DeliveryMetricsTest {

    @Test
    void everyOutcomeIsCountedFromZeroBeforeTheFirstDelivery() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        new DeliveryMetrics(metrics, new EndpointStats(metrics));

        assertThat(metrics.find("webhooks.deliveries").counters().stream().map(c -> c.getId().getTag("outcome"))
                .toList(), containsInAnyOrder("delivered", "retrying", "failed"));
        assertThat(metrics.find("webhooks.deliveries").counters().stream().map(Counter::count).toList(),
                everyItem(equalTo(0.0)));
    }

    @Test
    void theAutoDisabledCounterExistsAtZeroBeforeTheFirstAutoDisable() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        new EndpointHealthListener(null, null, java.time.Clock.systemUTC(), metrics);

        Counter autoDisabled = metrics.find("webhooks.endpoints.auto_disabled").counter();
        assertThat("registered with the listener, not by its first increment", autoDisabled != null, equalTo(true));
        assertThat(autoDisabled.count(), equalTo(0.0));
    }
}
