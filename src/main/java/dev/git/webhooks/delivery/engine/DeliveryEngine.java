package dev.git.webhooks.delivery.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.git.webhooks.common.LogThrottle;
import dev.git.webhooks.delivery.AttemptRunner;
import dev.git.webhooks.delivery.DeliveryConfig;
import dev.git.webhooks.delivery.DeliveryListener;
import dev.git.webhooks.outbox.AttemptLog;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.Instance;
import dev.git.webhooks.outbox.OutboxConfig;
import dev.git.webhooks.outbox.OutboxException;
import dev.git.webhooks.outbox.OutboxStore;
import dev.git.webhooks.outbox.Ownership;
import dev.git.webhooks.outbox.Reaper;
import dev.git.webhooks.subscription.EndpointBreakers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The delivery engine of this instance: one {@link EngineCore} whose state changes on one thread
 * ({@code delivery-engine}), fed by a mailbox of {@link Command}s, and the I/O it asks for carried out elsewhere,
 * each result coming back through the mailbox: attempts on the HTTP client's event loop ({@link AttemptRunner}),
 * writes and lease renewals on {@code delivery-writer} ({@link Writer}), claims and reads of the queue on
 * {@code delivery-claims} (and the claims of idle lanes beside a backlog's on {@code delivery-claims-idle}), the
 * heartbeat on {@code delivery-heartbeat} (nothing else runs there, so a busy
 * database that slows writes never delays it), bucket ownership on {@code delivery-ownership}, and the signals of
 * other instances on {@code delivery-signals} ({@link SignalListener}). Others hand it work through {@link #offer},
 * and read what it publishes ({@link #view()}); nothing calls back into it.
 */
@ApplicationScoped
public class DeliveryEngine {

    private static final Logger LOG = Logger.getLogger(DeliveryEngine.class);
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a clean shutdown waits for the writes of what was in flight, beyond the attempt timeout. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final LinkedBlockingQueue<Command> mailbox = new LinkedBlockingQueue<>();
    private final EngineCore core;
    private final AttemptRunner runner;
    private final Writer writer;
    private final OutboxStore outbox;
    private final Instance instance;
    private final Ownership ownership;
    private final Reaper reaper;
    private final SignalListener signals;
    private final DeliveryConfig config;
    private final OutboxConfig outboxConfig;
    private final Clock clock;
    private final ExecutorService writes = single("delivery-writer");
    private final ExecutorService claims = single("delivery-claims");
    /** Claims of lanes that hold nothing, beside a claim of a backlog ({@link Effects#claim}). */
    private final ExecutorService idleClaims = single("delivery-claims-idle");
    private final java.util.concurrent.ScheduledExecutorService heartbeat = scheduled("delivery-heartbeat");
    private final java.util.concurrent.ScheduledExecutorService owners = scheduled("delivery-ownership");
    private final Thread thread;
    private final LogThrottle beats = new LogThrottle(LOG, Duration.ofSeconds(30));
    private final LogThrottle reads = new LogThrottle(LOG, Duration.ofSeconds(30));
    private final LogThrottle renewals = new LogThrottle(LOG, Duration.ofSeconds(30));
    private final LogThrottle owning = new LogThrottle(LOG, Duration.ofSeconds(30));
    private volatile View view = View.NONE;
    private final FreshInTransit transit = new FreshInTransit();
    /** The engine thread's: transit entries of offers handled, closed by the next view published. */
    private final List<Long> awaitingView = new ArrayList<>();
    private volatile boolean idle = true;
    private volatile boolean running;

    public DeliveryEngine(AttemptRunner runner, AttemptLog log, OutboxStore outbox, EndpointBreakers breakers,
            Instance instance, Ownership ownership, Reaper reaper, SignalListener signals,
            @All List<DeliveryListener> listeners, DeliveryConfig config, OutboxConfig outboxConfig, Clock clock,
            MeterRegistry metrics) {
        // the beans themselves, not their client proxies, on the delivery path (see AttemptRunner)
        this.runner = ClientProxy.unwrap(runner);
        this.outbox = outbox;
        this.instance = instance;
        this.ownership = ownership;
        this.reaper = reaper;
        this.signals = signals;
        this.config = config;
        this.outboxConfig = outboxConfig;
        this.clock = clock;
        this.writer = new Writer(log, outbox, breakers, listeners.stream().map(ClientProxy::unwrap).toList(), clock,
                metrics);
        this.core = new EngineCore(Settings.of(config, outboxConfig), clock, new Shell());
        this.thread = new Thread(this::run, "delivery-engine");
        this.thread.setDaemon(true);
        Gauge.builder("webhooks.dispatcher.held", this, e -> e.view.held())
                .description("Deliveries this instance holds in memory (waiting for a slot or in flight)")
                .register(metrics);
        Gauge.builder("webhooks.dispatcher.held.bytes", this, e -> e.view.heldBytes())
                .description("Payload bytes this instance holds in memory").baseUnit("bytes").register(metrics);
        Gauge.builder("webhooks.recording.backlog", this, e -> e.view.unrecorded())
                .description("Attempts sent and not yet recorded (in flight, or waiting to be written)")
                .register(metrics);
        Gauge.builder("webhooks.delivery.buckets", this, e -> e.view.buckets().size())
                .description("Buckets of endpoints this instance sends to (of " + Ownership.BUCKETS + ")")
                .register(metrics);
    }

    /**
     * Registers the instance and starts, before anything can be claimed or offered (ingest starts later), and after
     * {@code RequiredSettings}: a bad setting is refused by name, not by the constructor of a bean the engine needs.
     */
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE + 100) StartupEvent event) {
        running = true;
        thread.start();
        Instant sent = clock.instant();
        post(new Command.Beat(sent, instance.heartbeat(sent)));
        rebalance();
        long beat = outboxConfig.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
        owners.scheduleWithFixedDelay(this::rebalance, 1000, 1000, TimeUnit.MILLISECONDS);
        long reap = outboxConfig.reapEvery().toMillis();
        owners.scheduleWithFixedDelay(this::reap, reap, reap, TimeUnit.MILLISECONDS);
        signals.start(this::post);
    }

    /**
     * A clean shutdown, once ingest has stopped: gives back what waits in the lanes, waits (bounded) for the attempts
     * in flight and the writes of their outcomes, gives the buckets back and only then leaves, so that no other
     * instance takes an endpoint whose outcomes are still to be written here (they would be sent twice).
     */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) {
        if (!running) {
            return;
        }
        signals.stop();
        heartbeat.shutdownNow();
        owners.shutdownNow();
        post(new Command.Stop());
        long deadline = System.nanoTime() + config.timeout().plus(GRACE).toNanos();
        while (!idle && System.nanoTime() < deadline) {
            sleep(10);
        }
        if (!idle) {
            LOG.warn("Stopping with attempts or outcomes still unwritten; their deliveries will be sent again");
        }
        running = false;
        thread.interrupt();
        try {
            ownership.free(instance.id(), ownership.owned(instance.id()));
        } catch (RuntimeException e) {
            LOG.debugf("Could not give the buckets back (the reaper will): %s", e.getMessage());
        }
        instance.leave();
        writes.shutdown();
        claims.shutdown();
        idleClaims.shutdown();
    }

    /**
     * Fresh deliveries created at {@code createdAt} are about to be inserted claimed by this instance: until they are
     * offered and counted in a view ({@link #offer}) or dropped ({@link #abandon}), the heartbeat's reaper bound
     * reaches back to them. Answers the entry to pass on.
     */
    public long inserting(Instant createdAt) {
        return transit.open(createdAt);
    }

    /** The deliveries of this entry were not committed (or not made): nothing to wait for. */
    public void abandon(long entry) {
        transit.close(entry);
    }

    /**
     * Deliveries claimed by this instance and committed: they are sent from here, or go back to the queue; their
     * {@code entry} (from {@link #inserting}) is closed once a view counts them.
     */
    public void offer(List<DeliveryJob> jobs, long entry) {
        if (jobs.isEmpty()) {
            transit.close(entry);
        } else {
            post(new Command.Offer(jobs, entry));
        }
    }

    /** Deliveries of an endpoint in one of this instance's buckets, queued due at {@code at}, committed. */
    public record Queued(String endpointId, int bucket, Instant at) {
    }

    /** Deliveries of this instance's own endpoints went to the queue: it claims them when they are due. */
    public void queued(List<Queued> queued) {
        if (!queued.isEmpty()) {
            post(new Command.Queued(queued.stream().map(q -> new Command.Due(q.endpointId(), q.bucket(), q.at()))
                    .toList()));
        }
    }

    /** Events read again after a store whose commit seemed to fail (see {@link Command.ReleaseUnheld}). */
    public void releaseUnheld(Collection<String> eventIds) {
        if (!eventIds.isEmpty()) {
            post(new Command.ReleaseUnheld(List.copyOf(eventIds)));
        }
    }

    /** What the engine published last: which endpoints it takes fresh deliveries for, back-pressure, figures. */
    public View view() {
        return view;
    }

    /** Whether this instance can take more deliveries now: ingest waits (a moment, bounded) before it reads more. */
    public boolean hasRoom() {
        return view.room();
    }

    void post(Command command) {
        mailbox.add(command);
    }

    private void run() {
        List<Command> batch = new ArrayList<>();
        while (running) {
            try {
                // in nanoseconds: a wait cut to whole milliseconds would spin through the last one
                long waitNanos = Math.max(0, Duration.between(clock.instant(), core.nextWake()).toNanos());
                Command first = mailbox.poll(Math.min(waitNanos, MAX_WAIT_NANOS), TimeUnit.NANOSECONDS);
                batch.add(first == null ? new Command.Tick() : first);
                mailbox.drainTo(batch, 4096);
                View before = view;
                for (Command command : batch) { // first: closed by a later view even if handling fails
                    if (command instanceof Command.Offer offer && offer.transit() != 0) {
                        awaitingView.add(offer.transit());
                    }
                }
                for (Command command : batch) {
                    try {
                        core.handle(command);
                    } catch (RuntimeException e) { // the others are handled all the same: a write or claim reported
                        // in one of them would otherwise never end, and nothing more would be written or claimed
                        LOG.error("The delivery engine failed on a command (" + command.getClass().getSimpleName()
                                + "); it carries on with the next", e);
                    }
                }
                batch.clear();
                core.publishIfDue();
                if (view != before && !awaitingView.isEmpty()) { // published after the offers: the view counts them
                    awaitingView.forEach(transit::close);
                    awaitingView.clear();
                }
                idle = core.idle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                batch.clear();
                LOG.error("The delivery engine failed on a command; it carries on with the next", e);
            }
        }
    }

    private void beat() {
        Instant sent = clock.instant();
        try {
            // those on their way first, then the view: an entry is closed only after a view that counts it is out
            Instant onTheirWay = transit.oldest(sent);
            View now = view;
            Instant held = now.oldestFresh() == null ? sent : now.oldestFresh();
            post(new Command.Beat(sent, instance.heartbeat(held.isBefore(onTheirWay) ? held : onTheirWay)));
            beats.recovered("The heartbeat works again");
        } catch (RuntimeException e) {
            beats.warn("The heartbeat failed (" + OutboxException.rootMessage(e) + "); the next one tries again");
        }
    }

    /** Takes free buckets up to this instance's share of the live instances, and asks the core to give back the rest. */
    private void rebalance() {
        try {
            Ownership.Survey survey = ownership.survey(instance.id());
            int share = survey.share();
            if (survey.mine() < share && survey.free() > 0 && instance.alive()) {
                Set<Integer> gained = ownership.acquire(instance.id(), share - survey.mine());
                if (!gained.isEmpty()) {
                    post(new Command.Gained(gained));
                }
            }
            post(new Command.Share(share));
            owning.recovered("Taking and giving back buckets works again");
        } catch (RuntimeException e) {
            owning.warn("Looking at the buckets failed (" + OutboxException.rootMessage(e) + "); trying again");
        }
    }

    private void reap() {
        reaper.scheduled();
    }

    /** The effects of the core, carried out off its thread; each result comes back through the mailbox. */
    private final class Shell implements Effects {

        @Override
        public void attempt(DeliveryJob job) {
            CompletionStage<AttemptRunner.Attempted> attempt;
            try {
                attempt = runner.run(job);
            } catch (RuntimeException e) { // ends as an attempt without an outcome, so that its slot is freed
                LOG.error("An attempt of " + job.deliveryId() + " could not start", e);
                post(new Command.Finished(job, null));
                return;
            }
            attempt.whenComplete((attempted, error) -> {
                if (attempted != null) {
                    writer.traced(job.deliveryId(), attempted.span());
                }
                post(new Command.Finished(job, attempted == null ? null : attempted.outcome()));
            });
        }

        @Override
        public void write(Write write) {
            writes.execute(() -> post(writer.write(write)));
        }

        @Override
        public void claim(Map<String, Integer> rooms, Instant now, boolean idle) {
            (idle ? idleClaims : claims).execute(() -> {
                try {
                    post(new Command.Claimed(rooms, outbox.claim(rooms, now)));
                    reads.recovered("Reading the queue works again");
                } catch (RuntimeException e) {
                    reads.warn("Claiming from the queue failed (" + OutboxException.rootMessage(e) + "); trying again");
                    post(new Command.ClaimFailed(rooms));
                }
            });
        }

        @Override
        public void probe(Collection<String> endpoints, Set<Integer> buckets) {
            claims.execute(() -> {
                try {
                    List<OutboxStore.QueueState> found = endpoints == null ? outbox.probeBuckets(buckets)
                            : outbox.probe(endpoints);
                    Map<String, Command.Queue> queues = new HashMap<>();
                    found.forEach(q -> queues.put(q.endpointId(), new Command.Queue(q.bucket(), q.next(),
                            q.breakerOpenUntil(), q.breakerDelayMillis())));
                    post(new Command.Probed(endpoints, queues));
                    reads.recovered("Reading the queue works again");
                } catch (RuntimeException e) {
                    reads.warn("Reading the queue failed (" + OutboxException.rootMessage(e) + "); trying again");
                    post(new Command.ProbeFailed(endpoints));
                }
            });
        }

        @Override
        public void renew(Renewal renewal) {
            writes.execute(() -> {
                try {
                    Set<String> lost = outbox.renew(renewal.jobs(), renewal.leaseUntil());
                    if (renewal.orphansFrom() != null) {
                        int released = reaper.releaseOrphans(instance.id(), renewal.orphansFrom(),
                                renewal.orphansTo(), renewal.held(), clock.instant());
                        if (released > 0) {
                            LOG.infof("%d deliveries claimed here and held by no one (a store or hand-off that "
                                    + "seemed to fail) went back to the queue", released);
                        }
                    }
                    post(new Command.Renewed(renewal.convertBefore(), lost));
                    renewals.recovered("Renewing claims works again");
                } catch (RuntimeException e) {
                    renewals.warn("Renewing claims failed (" + OutboxException.rootMessage(e)
                            + "); at the next heartbeat again");
                    post(new Command.RenewFailed(renewal));
                }
            });
        }

        @Override
        public void free(Set<Integer> buckets) {
            owners.execute(() -> {
                try {
                    ownership.free(instance.id(), buckets);
                    post(new Command.Freed(buckets));
                } catch (RuntimeException e) {
                    owning.warn("Giving back buckets failed (" + OutboxException.rootMessage(e)
                            + "); trying again");
                    post(new Command.FreeFailed(buckets));
                }
            });
        }

        @Override
        public void releaseUnheld(Collection<String> eventIds, Set<String> held) {
            writes.execute(() -> {
                try {
                    int released = reaper.releaseUnheld(eventIds, instance.id(), held, clock.instant());
                    if (released > 0) {
                        LOG.infof("%d deliveries claimed by a store whose commit seemed to fail went back to the "
                                + "queue", released);
                    }
                } catch (RuntimeException e) {
                    LOG.debugf("Releasing unheld claims failed (the orphan sweep finds them): %s", e.getMessage());
                }
            });
        }

        @Override
        public void publish(View published) {
            view = published;
        }
    }

    private static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(daemon(name));
    }

    private static java.util.concurrent.ScheduledExecutorService scheduled(String name) {
        return Executors.newSingleThreadScheduledExecutor(daemon(name));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
