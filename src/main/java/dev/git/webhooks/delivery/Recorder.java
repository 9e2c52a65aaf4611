package dev.git.webhooks.delivery;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.common.LogThrottle;
import dev.git.webhooks.outbox.AttemptLog;
import dev.git.webhooks.outbox.OutboxException;
import dev.git.webhooks.outbox.OutboxStore;
import dev.git.webhooks.outbox.OutboxStore.Release;
import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.tracing.SpanLogs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.arc.All;

/**
 * Writes outcomes and releases on its own thread, in batches, so that no HTTP thread waits for a transaction.
 * Bounded: past {@code webhooks.delivery.recording-backlog} unrecorded outcomes, {@link #saturated()} stops new
 * attempts until it caught up. A batch that fails because the database is away is kept and tried again; one that
 * fails on its data is split until the bad outcome is alone, which is then recorded without the endpoint's
 * answer. Nothing is dropped silently: one that cannot be recorded at all is logged, counted and stranded, and
 * what it holds stays this instance's claim until written ({@link RecorderClaims}). A line about one outcome carries
 * the trace and span ids of its attempt.
 */
@ApplicationScoped
public class Recorder {

    private static final Logger LOG = Logger.getLogger(Recorder.class);
    private static final int MAX_BATCH = 500;

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger outcomes = new AtomicInteger();
    private final RecorderClaims claims = new RecorderClaims();
    private final AttemptLog log;
    private final OutboxStore outbox;
    private final List<DeliveryListener> listeners;
    private final DeliveryConfig config;
    private final Clock clock;
    private final Counter unrecordable;
    private final Thread thread;
    private final LogThrottle failures = new LogThrottle(LOG, java.time.Duration.ofSeconds(30));
    private volatile boolean running = true;

    public Recorder(AttemptLog log, OutboxStore outbox, @All List<DeliveryListener> listeners, DeliveryConfig config,
            Clock clock, MeterRegistry metrics) {
        this.log = log;
        this.outbox = outbox;
        this.listeners = listeners;
        this.config = config;
        this.clock = clock;
        this.unrecordable = Counter.builder("webhooks.recording.failures")
                .description("Outcomes that could not be recorded at all (their deliveries are sent again)")
                .register(metrics);
        metrics.gauge("webhooks.recording.backlog", outcomes, AtomicInteger::get);
        this.thread = new Thread(this::run, "delivery-recorder");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public void submit(Outcome outcome) {
        submit(outcome, SpanContext.getInvalid());
    }

    /** The outcome of an attempt whose span is {@code attempt} (invalid when tracing is off). */
    public void submit(Outcome outcome, SpanContext attempt) {
        outcomes.incrementAndGet();
        claims.holding(outcome.job());
        queue.add(new Submitted(outcome, attempt));
    }

    public void release(List<Release> releases) {
        if (!releases.isEmpty()) {
            releases.forEach(r -> claims.holding(r.job()));
            queue.add(new Releases(releases));
        }
    }

    /** The claimed jobs it holds until their outcomes or hand-backs are written. */
    RecorderClaims claims() {
        return claims;
    }

    /** Too many outcomes wait to be recorded: start no new attempt. */
    public boolean saturated() {
        return outcomes.get() >= config.recordingBacklog();
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

    private record Releases(List<Release> releases) {
    }

    private record Submitted(Outcome outcome, SpanContext attempt) {
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
                failures.recovered("Recording delivery results works again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures.warn("Could not record " + batch.size() + " delivery results (" + OutboxException.rootMessage(e)
                        + "); trying again");
                sleep(1000);
            }
        }
    }

    private void write(List<Object> batch) {
        List<Submitted> results = new ArrayList<>();
        List<Release> releases = new ArrayList<>();
        for (Object item : batch) {
            if (item instanceof Submitted o) {
                results.add(o);
            } else {
                releases.addAll(((Releases) item).releases());
            }
        }
        outbox.release(releases);
        releases.forEach(r -> claims.written(r.job()));
        if (!results.isEmpty()) {
            recordIsolating(results);
            outcomes.addAndGet(-results.size());
            results.forEach(o -> claims.written(o.outcome().job()));
        }
    }

    /** Records the batch; on a data error, halves it until the bad outcome is alone. */
    private void recordIsolating(List<Submitted> batch) {
        try {
            notify(log.record(batch.stream().map(Submitted::outcome).toList(), clock.instant()));
        } catch (RuntimeException e) {
            if (OutboxException.isTransient(e)) {
                throw e;
            }
            if (batch.size() > 1) {
                recordIsolating(batch.subList(0, batch.size() / 2));
                recordIsolating(batch.subList(batch.size() / 2, batch.size()));
                return;
            }
            recordScrubbed(batch.get(0), e);
        }
    }

    private void recordScrubbed(Submitted submitted, RuntimeException cause) {
        Outcome outcome = submitted.outcome();
        try {
            notify(log.record(List.of(outcome.scrubbed()), clock.instant()));
            SpanLogs.log(submitted.attempt(), () -> LOG.warnf(
                    "Recorded the attempt of %s without the endpoint's answer, which could not be stored (%s)",
                    outcome.job().deliveryId(), OutboxException.rootMessage(cause)));
        } catch (RuntimeException e) {
            if (OutboxException.isTransient(e)) {
                throw e;
            }
            unrecordable.increment();
            claims.strand(outcome.job());
            SpanLogs.log(submitted.attempt(), () -> LOG.errorf(e,
                    "Could not record the attempt of %s; the delivery will be sent again when its claim ends",
                    outcome.job().deliveryId()));
        }
    }

    private void notify(List<Outcome> recorded) {
        for (DeliveryListener listener : listeners) {
            try {
                listener.recorded(recorded);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Delivery listener %s failed", listener.getClass().getSimpleName());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
