package dev.git.webhooks.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.http.AttemptResult;
import dev.git.webhooks.delivery.store.AttemptWriter;
import dev.git.webhooks.delivery.store.AttemptWriter.Recorded;
import dev.git.webhooks.delivery.store.OutboxStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes the results of attempts (and unsent releases) to the database in batches, on its own thread, so that no
 * HTTP thread waits for a transaction. A batch that cannot be written is kept and tried again; if the instance
 * dies first, the leases run out and the deliveries are sent again (at least once).
 */
@ApplicationScoped
public class ResultRecorder {

    /** Fired after a batch disabled endpoints (410 Gone, or failing too long). */
    public record EndpointsDisabled(Set<String> endpointIds) {
    }

    private static final Logger LOG = Logger.getLogger(ResultRecorder.class);
    private static final int MAX_BATCH = 500;

    private record Attempted(DeliveryJob job, AttemptResult result) {
    }

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AttemptWriter writer;
    private final OutboxStore outbox;
    private final Outcomes outcomes;
    private final DeliveryConfig config;
    private final Clock clock;
    private final Event<EndpointsDisabled> disabled;
    private final MeterRegistry metrics;
    private final EndpointStats stats;
    private final Thread thread;
    private volatile boolean running = true;

    public ResultRecorder(AttemptWriter writer, OutboxStore outbox, DeliveryConfig config, Clock clock,
            Event<EndpointsDisabled> disabled, MeterRegistry metrics, EndpointStats stats) {
        this.writer = writer;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
        this.disabled = disabled;
        this.metrics = metrics;
        this.stats = stats;
        // the backlog of results not yet written (it grows while the database is slow or down), and auto-disables
        Gauge.builder("webhooks.recorder.backlog", queue, BlockingQueue::size)
                .description("Attempt results and releases waiting to be written to the database").register(metrics);
        metrics.counter("webhooks.endpoints.auto_disabled");
        this.outcomes = new Outcomes(new RetryPolicy(config.retrySchedule(), config.retryJitter(),
                config.retryAfterCap(), RandomGenerator.getDefault()));
        this.thread = new Thread(this::run, "delivery-recorder");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public void attempted(DeliveryJob job, AttemptResult result) {
        queue.add(new Attempted(job, result));
    }

    public void release(String deliveryId, Instant at) {
        queue.add(new OutboxStore.Release(deliveryId, at));
    }

    @PreDestroy
    void stop() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>();
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not record %d delivery results; trying again", batch.size());
                sleep();
            }
        }
    }

    private void write(List<Object> batch) {
        Instant now = clock.instant();
        List<Recorded> recorded = new ArrayList<>();
        List<OutboxStore.Release> releases = new ArrayList<>();
        for (Object item : batch) {
            if (item instanceof Attempted a) {
                recorded.add(outcomes.decide(a.job(), a.result(), now));
            } else {
                releases.add((OutboxStore.Release) item);
            }
        }
        if (!releases.isEmpty()) {
            outbox.release(releases);
        }
        if (!recorded.isEmpty()) {
            Set<String> stopped = writer.write(recorded, now, now.minus(config.autoDisableAfter()));
            for (Recorded r : recorded) {
                String outcome = Outcomes.PENDING.equals(r.status()) ? "retrying" : r.status();
                metrics.counter("webhooks.deliveries", "outcome", outcome).increment();
                stats.attempted(r.job().target().endpointId(), r.result().succeeded());
            }
            if (!stopped.isEmpty()) {
                LOG.infof("Endpoints auto-disabled: %s", stopped);
                metrics.counter("webhooks.endpoints.auto_disabled").increment(stopped.size());
                disabled.fire(new EndpointsDisabled(stopped));
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
