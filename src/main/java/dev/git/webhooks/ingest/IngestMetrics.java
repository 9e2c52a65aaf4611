package dev.git.webhooks.ingest;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Counts what a stored batch did. Metrics only: whatever goes wrong here must not make the batch look failed. */
final class IngestMetrics {

    private static final Logger LOG = Logger.getLogger(IngestMetrics.class);

    private IngestMetrics() {
    }

    static void count(MeterRegistry metrics, Clock clock, List<IncomingEvent> events, EventStore.Stored stored) {
        try {
            Timer lag = Timer.builder("webhooks.ingest.lag")
                    .description("From the record's Kafka timestamp to its event being stored with its deliveries")
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .register(metrics);
            long now = clock.millis();
            for (IncomingEvent event : events) {
                String outcome = stored.newEventIds().contains(event.id()) ? "stored"
                        : stored.conflicts().contains(event.source()) ? "id_conflict" : "duplicate";
                metrics.counter("webhooks.events.consumed", "type", event.type(), "outcome", outcome).increment();
                if (event.appendedAt() != null) {
                    lag.record(Math.max(0, now - event.appendedAt().toEpochMilli()), TimeUnit.MILLISECONDS);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not record ingest metrics", e);
        }
    }
}
