package dev.git.webhooks.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.http.AttemptResult;
import dev.git.webhooks.subscription.WebhookEndpoints;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.TypedGuard;

/**
 * Sends deliveries. Fresh ones arrive leased from ingest (with room reserved) and go out at once; {@link OutboxPoller}
 * hands over what it claims (retries, bursts, what other instances left behind). Each endpoint has its own lane
 * (in-flight cap, depth, circuit breaker), and no database transaction is open while HTTP runs.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final TypeLiteral<CompletionStage<AttemptResult>> RESULT = new TypeLiteral<>() {
    };
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
    private static final long IDLE_LANE_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** A lane holds up to this many times its in-flight cap: enough to keep it busy between two claims. */
    private static final int LANE_DEPTH = 4;

    private final Map<String, EndpointLane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final Attempts attempts;
    private final ResultRecorder recorder;
    private final DeliveryConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private ExecutorService workers;
    private volatile boolean running;
    private volatile Runnable roomListener = () -> {
    };
    private Timer succeeded;
    private Timer failed;

    public Dispatcher(Attempts attempts, ResultRecorder recorder, DeliveryConfig config, Clock clock,
            MeterRegistry metrics) {
        this.attempts = attempts;
        this.recorder = recorder;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        workers = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
                r -> {
                    Thread t = new Thread(r, "delivery-worker");
                    t.setDaemon(true);
                    return t;
                });
        metrics.gauge("webhooks.dispatcher.held", held);
        succeeded = attemptTimer("success");
        failed = attemptTimer("failure");
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        Instant now = clock.instant();
        for (EndpointLane lane : lanes.values()) {
            for (DeliveryJob job : lane.drain()) {
                held.decrementAndGet();
                recorder.release(job.deliveryId(), now);
            }
        }
        if (workers != null) {
            workers.shutdown();
            long deadline = System.nanoTime() + config.timeout().plusSeconds(1).toNanos();
            while (held.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
    }

    /**
     * Room in this instance for one fresh delivery to the endpoint: when granted, ingest stores the delivery leased to
     * this instance and hands it over with {@link #offerReserved}; otherwise it stores it due now, for the poller.
     */
    public boolean reserve(String endpointId) {
        if (!running || held.get() >= config.maxInFlight()) {
            return false;
        }
        Boolean granted;
        while ((granted = lane(endpointId).tryReserve()) == null) {
            // retired by the idle sweep just now: the next call makes a fresh lane
        }
        if (granted) {
            held.incrementAndGet();
        }
        return granted;
    }

    /** Gives back a reservation whose delivery was not stored. */
    public void cancel(String endpointId) {
        lane(endpointId).cancelReservation();
        held.decrementAndGet();
    }

    /** Fresh deliveries with a reservation each: they go out at once. */
    public void offerReserved(List<DeliveryJob> jobs) {
        Set<EndpointLane> touched = new LinkedHashSet<>();
        for (DeliveryJob job : jobs) {
            EndpointLane lane = lane(job.target().endpointId());
            lane.enqueueReserved(job);
            touched.add(lane);
        }
        touched.forEach(this::pump);
    }

    /** Deliveries leased to this instance that should go out now. */
    public void offer(List<DeliveryJob> jobs) {
        Set<EndpointLane> touched = new LinkedHashSet<>();
        Instant now = clock.instant();
        for (DeliveryJob job : jobs) {
            if (!running || held.get() >= config.maxInFlight()) {
                recorder.release(job.deliveryId(), now); // the poller takes it when there is room
                continue;
            }
            EndpointLane lane;
            do {
                lane = lane(job.target().endpointId());
            } while (!lane.enqueue(job));
            held.incrementAndGet();
            touched.add(lane);
        }
        touched.forEach(this::pump);
    }

    void stopped(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookEndpoints.Stopped stopped) {
        dropLane(stopped.endpointId());
    }

    void disabled(@Observes ResultRecorder.EndpointsDisabled disabled) {
        disabled.endpointIds().forEach(this::dropLane);
    }

    private void dropLane(String endpointId) {
        EndpointLane lane = lanes.get(endpointId);
        if (lane != null) {
            held.addAndGet(-lane.drain().size());
        }
    }

    private EndpointLane lane(String endpointId) {
        return lanes.computeIfAbsent(endpointId, id -> {
            EndpointLane lane = new EndpointLane(config.maxInFlightPerEndpoint(),
                    config.maxInFlightPerEndpoint() * LANE_DEPTH);
            DeliveryConfig.Breaker breaker = config.breaker();
            lane.guard(TypedGuard.create(RESULT)
                    .withDescription("endpoint " + id)
                    .withThreadOffload(false)
                    .withCircuitBreaker()
                    .requestVolumeThreshold(breaker.requestVolume())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    .failOn(AttemptFailedException.class)
                    .onStateChange(state -> lane.breakerChanged(state, clock.instant().plus(breaker.delay())))
                    .done()
                    .build());
            return lane;
        });
    }

    private void pump(EndpointLane lane) {
        DeliveryJob job;
        while ((job = lane.take()) != null) {
            Instant now = clock.instant();
            if (lane.open(now)) {
                // Waiting on an open breaker is not an attempt: hand the lane's deliveries back until it closes.
                hold(lane, job, lane.openUntil());
                for (DeliveryJob queued : lane.drain()) {
                    held.decrementAndGet();
                    recorder.release(queued.deliveryId(), lane.openUntil());
                }
                continue;
            }
            if (job.leaseUntil().isBefore(now.plus(config.timeout()).plus(LEASE_MARGIN))) {
                hold(lane, job, now); // too late to finish within our lease: let the poller claim it afresh
                continue;
            }
            DeliveryJob claimed = job;
            workers.execute(() -> run(lane, claimed));
        }
    }

    private void run(EndpointLane lane, DeliveryJob job) {
        Timer.Sample sample = Timer.start(metrics);
        CompletionStage<AttemptResult> stage;
        try {
            stage = lane.guard().get(() -> attempts.attempt(job).thenCompose(result -> result.succeeded()
                    ? CompletableFuture.completedFuture(result)
                    : CompletableFuture.failedFuture(new AttemptFailedException(result))));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((result, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause instanceof CircuitBreakerOpenException) {
                Instant until = lane.openUntil().isAfter(clock.instant()) ? lane.openUntil()
                        : clock.instant().plus(config.breaker().delay());
                hold(lane, job, until);
                pump(lane);
                return;
            }
            AttemptResult outcome = result != null ? result
                    : cause instanceof AttemptFailedException failed ? failed.result()
                    : AttemptResult.error(clock.instant(), 0, Map.of(), "internal_error", "attempt not made");
            if (cause != null && !(cause instanceof AttemptFailedException)) {
                LOG.warnf(cause, "Attempt of %s could not be made", job.deliveryId());
            }
            sample.stop(outcome.succeeded() ? succeeded : failed);
            recorder.attempted(job, outcome);
            held.decrementAndGet();
            lane.done();
            pump(lane);
            if (lane.held() <= lane.limit() / 2) {
                roomListener.run();
            }
        });
    }

    /** Gives a taken job back unsent: due again at {@code at}, no attempt counted. */
    private void hold(EndpointLane lane, DeliveryJob job, Instant at) {
        recorder.release(job.deliveryId(), at);
        held.decrementAndGet();
        lane.done();
    }

    private Timer attemptTimer(String result) {
        return Timer.builder("webhooks.delivery.attempt")
                .description("Duration of delivery attempts, from the start of the request to the answer")
                .tag("result", result)
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(metrics);
    }

    /** What the next claim may take: how many rows, and which endpoints' lanes cannot take more. */
    record ClaimScope(int room, List<String> excluded, boolean anyFull) {
    }

    ClaimScope claimScope(Instant now, int batch) {
        List<String> excluded = new ArrayList<>();
        boolean anyFull = false;
        for (Map.Entry<String, EndpointLane> entry : lanes.entrySet()) {
            boolean full = entry.getValue().full();
            anyFull |= full;
            if (full || entry.getValue().open(now)) {
                excluded.add(entry.getKey());
            }
        }
        return new ClaimScope(Math.min(batch, config.maxInFlight() - held.get()), excluded, anyFull);
    }

    /** Forgets lanes that held nothing for a while (their breaker state goes with them). */
    void sweepIdleLanes() {
        Instant now = clock.instant();
        lanes.values().removeIf(lane -> lane.retireIfIdle(IDLE_LANE_NANOS, now));
    }

    /** Called when a lane drained to half its depth: the poller may fetch more due deliveries for it. */
    void onRoom(Runnable listener) {
        this.roomListener = listener;
    }
}
