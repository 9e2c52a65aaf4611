package dev.git.webhooks.ingest.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

import dev.git.webhooks.ingest.IngestConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Whether the Kafka cluster answers, checked in the background every {@code webhooks.ingest.broker-check-interval}
 * with a bounded request; the health probe only reads the latest result, so a broker that hangs never makes the
 * probe hang (it used to: a readiness request waited 20 s on a stopped broker).
 */
@ApplicationScoped
public class BrokerProbe {

    /** The latest check: when, and what went wrong (null when the cluster answered). */
    public record Status(Instant checkedAt, String problem) {
        public boolean up() {
            return checkedAt != null && problem == null;
        }
    }

    private final IngestConfig config;
    private final Map<String, Object> kafka;
    private final Clock clock;
    private final MeterRegistry metrics;
    private volatile Status status = new Status(null, "not checked yet");
    private Admin admin;
    private ScheduledExecutorService timer;

    public BrokerProbe(IngestConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka, Clock clock,
            MeterRegistry metrics) {
        this.config = config;
        this.kafka = kafka;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** After the {@code @Startup} beans, so that a missing setting is refused by name (RequiredSettings) first. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        Map<String, Object> props = new HashMap<>(kafka);
        int timeout = (int) timeout().toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "webhooks-health");
        admin = Admin.create(props);
        Gauge.builder("webhooks.ingest.broker.up", this, p -> p.status().up() ? 1 : 0)
                .description("1 when the Kafka cluster answered the latest health check").register(metrics);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "health-kafka");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, 0, config.brokerCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            admin.close(Duration.ofSeconds(2));
        }
    }

    /** The latest result; DOWN as well when the checks themselves stopped coming. */
    public Status status() {
        Status latest = status;
        Duration stale = config.brokerCheckInterval().plus(timeout()).multipliedBy(2);
        if (latest.checkedAt() != null && Duration.between(latest.checkedAt(), clock.instant()).compareTo(stale) > 0) {
            return new Status(latest.checkedAt(), "no broker check since " + latest.checkedAt());
        }
        return latest;
    }

    private void check() {
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) timeout().toMillis())).nodes().get(timeout().toMillis() + 500, TimeUnit.MILLISECONDS);
            status = new Status(clock.instant(), nodes.isEmpty() ? "the cluster has no live broker" : null);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            status = new Status(clock.instant(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    /** Each check's own bound: shorter than the interval, at most 3 s. */
    private Duration timeout() {
        Duration interval = config.brokerCheckInterval();
        return interval.compareTo(Duration.ofSeconds(3)) < 0 ? interval : Duration.ofSeconds(3);
    }
}
