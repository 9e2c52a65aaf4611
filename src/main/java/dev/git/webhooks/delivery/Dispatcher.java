package dev.git.webhooks.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.OutboxStore.Release;
import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.subscription.WebhookEndpoints;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The one hand-off for every producer of deliveries (ingest, ping, redeliver, replay, the poller): claimed
 * deliveries are offered to their endpoints' lanes, and what does not fit goes back to the queue. It starts
 * attempts as lane slots free up; {@link AttemptRunner} makes them.
 */
@ApplicationScoped
public class Dispatcher {

    /** Makes one attempt; completes with its outcome, never exceptionally ({@link AttemptRunner}). */
    public interface Attempt {
        java.util.concurrent.CompletionStage<Outcome> run(DeliveryJob job);
    }

    private final Lanes lanes;
    private final Attempt runner;
    private final Recorder recorder;
    private final Clock clock;
    private final DeliveryConfig config;
    private volatile boolean running;
    private final java.util.concurrent.atomic.AtomicBoolean repump = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "delivery-repump");
                t.setDaemon(true);
                return t;
            });

    @jakarta.inject.Inject
    public Dispatcher(DeliveryConfig config, AttemptRunner runner, Recorder recorder, Clock clock,
            MeterRegistry metrics) {
        this(config, (Attempt) runner::run, recorder, clock, metrics);
    }

    Dispatcher(DeliveryConfig config, Attempt runner, Recorder recorder, Clock clock, MeterRegistry metrics) {
        this.lanes = new Lanes(config, clock);
        this.runner = runner;
        this.recorder = recorder;
        this.clock = clock;
        this.config = config;
        metrics.gauge("webhooks.dispatcher.held", lanes, Lanes::held);
        metrics.gauge("webhooks.dispatcher.held.bytes", lanes, Lanes::heldBytes);
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    void start() {
        running = true;
    }

    /** Offers claimed deliveries to their lanes; answers how many were taken (the others were released). */
    public int offer(List<DeliveryJob> jobs) {
        Set<Lane> touched = new LinkedHashSet<>();
        List<Release> back = new ArrayList<>();
        for (DeliveryJob job : jobs) {
            Lane lane = running ? lanes.offer(job) : null;
            if (lane != null) {
                touched.add(lane);
            } else {
                back.add(new Release(job, lanes.dueAgain(job.endpointId())));
            }
        }
        recorder.release(back);
        touched.forEach(this::pump);
        return jobs.size() - back.size();
    }

    /** Endpoints whose new deliveries should be queued rather than claimed fresh, and until when. */
    public Map<String, Instant> holds() {
        return lanes.holds();
    }

    /** Deliveries of these endpoints were queued because of {@link #holds}: claim them once their lanes have room. */
    public void queued(java.util.Collection<String> endpointIds) {
        lanes.backlogged(endpointIds);
    }

    /** An endpoint's breaker on this instance, for the ops views: closed, open or half_open (no lane: closed). */
    public String breakerState(String endpointId) {
        Lane lane = lanes.existing(endpointId);
        return lane == null ? "closed"
                : lane.breaker().state(clock.instant()).name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether this instance can take more deliveries now: ingest waits (a moment, bounded) for room before it reads
     * more, while the instance holds all it may or a fast endpoint's lane is more than half full.
     */
    public boolean hasRoom() {
        return running && lanes.hasRoom() && !lanes.congested();
    }

    /** Starts what the lanes allow, for every lane (after the recorder caught up, or on a timer). */
    public void pumpAll() {
        lanes.all().forEach(this::pump);
    }

    Lanes lanes() {
        return lanes;
    }

    void pump(Lane lane) {
        DeliveryJob job;
        while (running && !recorder.saturated() && (job = lane.start(clock.instant())) != null) {
            DeliveryJob started = job;
            runner.run(started).whenComplete((outcome, error) -> finished(lane, started, outcome));
        }
        if (recorder.saturated()) {
            pumpSoon();
        }
        holdIfOpen(lane);
    }

    /** The recorder is behind: look again shortly (once, however many lanes wait). */
    private void pumpSoon() {
        if (repump.compareAndSet(false, true)) {
            timer.schedule(() -> {
                repump.set(false);
                pumpAll();
            }, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void finished(Lane lane, DeliveryJob job, Outcome outcome) {
        Instant now = clock.instant();
        boolean success = outcome != null && outcome.result().succeeded();
        lane.breaker().record(success, now);
        lane.finished(job, now, success);
        lanes.released(job);
        pump(lane);
        lanes.signalIfWanted(lane);
    }

    /** Waiting on an open breaker is not an attempt: the lane's queue goes back to the outbox until it may close. */
    private void holdIfOpen(Lane lane) {
        Instant until = lane.breaker().openUntil();
        if (until.isAfter(clock.instant())) {
            List<DeliveryJob> queued = lane.drain();
            lanes.released(queued);
            recorder.release(queued.stream().map(job -> new Release(job, until)).toList());
        }
    }

    void stopped(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookEndpoints.Stopped stopped) {
        Lane lane = lanes.existing(stopped.endpointId());
        if (lane != null) {
            lanes.released(lane.drain()); // their claims ended with the endpoint: nothing to give back
        }
    }

    /** Gives back everything queued (a clean shutdown); attempts in flight finish and are recorded. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        Instant now = clock.instant();
        for (Lane lane : lanes.all()) {
            List<DeliveryJob> queued = lane.drain();
            lanes.released(queued);
            recorder.release(queued.stream().map(job -> new Release(job, now)).toList());
        }
    }

    /** Waits until no attempt is in flight (after {@link #stop}); false if {@code timeout} passed first. */
    boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lanes.held() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return lanes.held() == 0;
    }

    DeliveryConfig config() {
        return config;
    }
}
