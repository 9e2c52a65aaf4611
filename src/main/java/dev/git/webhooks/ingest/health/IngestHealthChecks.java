package dev.git.webhooks.ingest.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.git.webhooks.ingest.EventConsumer;
import dev.git.webhooks.ingest.IngestConfig;
import dev.git.webhooks.ingest.consumer.IngestProgress;
import io.smallrye.health.api.HealthGroup;

/**
 * The {@code ingest} health group ({@code /q/health/group/ingest}), apart from readiness: the HTTP API does not need
 * Kafka, so a broker outage must not take the instance out of its load balancer. DOWN when the broker does not
 * answer, or when the consumer has held a record for {@code webhooks.ingest.stall-after} without moving past it.
 * Both read state that is kept up to date elsewhere: the probe never waits.
 */
@ApplicationScoped
public class IngestHealthChecks {

    private final EventConsumer consumer;
    private final BrokerProbe broker;
    private final IngestConfig config;
    private final Clock clock;

    public IngestHealthChecks(EventConsumer consumer, BrokerProbe broker, IngestConfig config, Clock clock) {
        this.consumer = consumer;
        this.broker = broker;
        this.config = config;
        this.clock = clock;
    }

    @Produces
    @HealthGroup("ingest")
    HealthCheck kafkaBroker() {
        return () -> {
            if (!config.enabled()) {
                return disabled("kafka-broker");
            }
            BrokerProbe.Status status = broker.status();
            HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-broker").status(status.up())
                    .withData("checked_at", String.valueOf(status.checkedAt()));
            return (status.problem() == null ? response : response.withData("error", status.problem())).build();
        };
    }

    @Produces
    @HealthGroup("ingest")
    HealthCheck ingestProgress() {
        return () -> {
            IngestProgress progress = consumer.progress();
            if (!config.enabled() || progress == null) {
                return disabled("ingest-progress");
            }
            Instant now = clock.instant();
            Duration stalled = progress.stalledFor(now);
            boolean alive = consumer.alive();
            HealthCheckResponseBuilder response = HealthCheckResponse.named("ingest-progress")
                    .status(alive && stalled.compareTo(config.stallAfter()) < 0)
                    .withData("consumer_running", alive)
                    .withData("stalled_seconds", stalled.toSeconds())
                    .withData("stall_after_seconds", config.stallAfter().toSeconds());
            String failure = progress.lastFailure();
            return (failure == null ? response : response.withData("last_failure", failure)).build();
        };
    }

    private static HealthCheckResponse disabled(String name) {
        return HealthCheckResponse.named(name).up().withData("ingest", "disabled").build();
    }
}
