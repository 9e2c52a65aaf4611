package dev.git.webhooks.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.git.webhooks.common.LogThrottle;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.Instance;
import dev.git.webhooks.outbox.OutboxConfig;
import dev.git.webhooks.outbox.OutboxStore;
import dev.git.webhooks.outbox.Reaper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps this instance's claims alive, however slow its endpoints: every heartbeat it renews the lease of each held
 * delivery that has one (and gives one to fresh deliveries held longer than half the fresh horizon), and, on a
 * schedule of its own that nothing else can hold up, says the instance is alive. A busy database that makes renewals
 * or recording slow or fail so never makes the others take this instance for dead. A claim found lost is dropped
 * from its lane unsent; if the others took the whole instance for dead anyway, everything it held is dropped.
 */
@ApplicationScoped
public class ClaimKeeper {

    private static final Logger LOG = Logger.getLogger(ClaimKeeper.class);

    /** How long a clean shutdown waits for the recorder (and for attempts, beyond their timeout). */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final LogThrottle failures = new LogThrottle(LOG, Duration.ofSeconds(30));
    private final LogThrottle beats = new LogThrottle(LOG, Duration.ofSeconds(30));
    private final Dispatcher dispatcher;
    private final Recorder recorder;
    private final OutboxStore outbox;
    private final Reaper reaper;
    private final Instance instance;
    private final OutboxConfig config;
    private final Clock clock;
    /** Fresh claims of this instance created before this were looked at ({@link #releaseOrphans}). */
    private Instant sweptUpTo;
    /** The fresh deliveries held that were created before this have their lease (the last renewal that worked). */
    private volatile Instant leasedUpTo;

    public ClaimKeeper(Dispatcher dispatcher, Recorder recorder, OutboxStore outbox, Reaper reaper,
            Instance instance, OutboxConfig config, Clock clock) {
        this.reaper = reaper;
        this.dispatcher = dispatcher;
        this.recorder = recorder;
        this.outbox = outbox;
        this.instance = instance;
        this.config = config;
        this.clock = clock;
        this.sweptUpTo = clock.instant();
        this.leasedUpTo = Instant.MIN;
    }

    /** Registers the instance before anything can be claimed. */
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event) {
        instance.heartbeat(clock.instant());
    }

    /**
     * After the dispatcher gave back what its lanes queued: waits (bounded) for the attempts in flight and for the
     * recorder to write every outcome and hand-back, and only then says the instance left, so that no other
     * instance's reaper takes back a claim whose outcome is still to be written here (it would be sent twice).
     */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) {
        try {
            boolean idle = dispatcher.awaitIdle(dispatcher.config().timeout().plus(GRACE))
                    && recorder.claims().awaitWritten(GRACE);
            if (!idle) {
                LOG.warn("Stopping with attempts or outcomes still unwritten; their deliveries will be sent again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        instance.leave();
    }

    @Scheduled(every = "${webhooks.outbox.heartbeat:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            renew();
            failures.recovered("Renewing claims works again");
        } catch (RuntimeException e) {
            failures.warn("Renewing claims failed (" + e.getMessage() + "); trying again at the next heartbeat");
        }
        dispatcher.lanes().sweep();
        dispatcher.pumpAll();
    }

    @Scheduled(every = "${webhooks.outbox.heartbeat:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledHeartbeat() {
        try {
            beat();
            beats.recovered("The heartbeat works again");
        } catch (RuntimeException e) {
            beats.warn("The heartbeat failed (" + e.getMessage() + "); trying again at the next one");
        }
    }

    /** One heartbeat's work in order: renew, then say alive. */
    void keep() {
        renew();
        beat();
    }

    /**
     * Says that this instance is alive, with the creation time of its oldest fresh claim that has no lease yet (the
     * reaper's bound, were it to die now). If the others took it for dead meanwhile, it drops what it held: the
     * reaper gave its claims back to the queue.
     */
    void beat() {
        Instant oldestFresh = clock.instant();
        Instant leased = leasedUpTo;
        for (DeliveryJob job : held()) {
            if (!job.leased() && !job.createdAt().isBefore(leased) && job.createdAt().isBefore(oldestFresh)) {
                oldestFresh = job.createdAt();
            }
        }
        if (!instance.heartbeat(oldestFresh)) {
            for (Lane lane : dispatcher.lanes().all()) {
                dispatcher.lanes().released(lane.drain());
            }
        }
    }

    /**
     * Renews the leases of what this instance holds. What it holds is in the lanes (queued or in flight) and in the
     * recorder (outcomes and hand-backs not written yet); a stranded job gets one lease, which then runs out.
     */
    void renew() {
        Instant now = clock.instant();
        Instant convertBefore = now.minus(config.freshHorizon().dividedBy(2));
        List<DeliveryJob> held = held();
        List<DeliveryJob> stranded = recorder.claims().stranded();
        List<DeliveryJob> renew = new ArrayList<>(stranded);
        for (DeliveryJob job : held) {
            if (job.leased() || job.createdAt().isBefore(convertBefore)) {
                renew.add(job);
            }
        }
        Set<String> lost = outbox.renew(renew, now.plus(config.lease()));
        if (convertBefore.isAfter(leasedUpTo)) {
            leasedUpTo = convertBefore;
        }
        recorder.claims().unstrand(stranded);
        releaseOrphans(renew, convertBefore, now); // renewed: held (or stranded) and leased now
        if (!lost.isEmpty()) {
            int dropped = 0;
            for (Lane lane : dispatcher.lanes().all()) {
                List<DeliveryJob> forgotten = lane.forget(lost);
                dropped += forgotten.size();
                dispatcher.lanes().released(forgotten);
            }
            if (dropped > 0) {
                LOG.infof("%d claimed deliveries passed to another instance; they are dropped here unsent", dropped);
            }
        }
    }

    /**
     * Gives back to the queue the fresh deliveries of these events that this instance claimed and does not hold. A
     * store whose commit failed with an unknown outcome (the connection broke during the commit) may have committed
     * after all: its deliveries are then claimed by this live instance, which never got them, and no reaper would
     * ever take them back. The batch is read again, its events come back as known ones, and this finds them.
     */
    public void releaseUnheld(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return;
        }
        Set<String> held = new HashSet<>();
        held().forEach(job -> held.add(job.deliveryId()));
        int released = reaper.releaseUnheld(eventIds, instance.id(), held, clock.instant());
        if (released > 0) {
            LOG.infof("%d deliveries claimed by a store whose commit seemed to fail went back to the queue", released);
        }
    }

    /**
     * Gives back the fresh claims of this instance that it does not hold, once they are older than half the fresh
     * horizon (the held ones got their lease by then): each row is looked at once, in the window since the last look.
     */
    private void releaseOrphans(List<DeliveryJob> renewed, Instant before, Instant now) {
        if (!before.isAfter(sweptUpTo)) {
            return;
        }
        List<String> old = renewed.stream().filter(job -> job.createdAt().isBefore(before))
                .map(DeliveryJob::deliveryId).toList();
        int released = reaper.releaseOrphans(instance.id(), sweptUpTo, before, old, now);
        sweptUpTo = before;
        if (released > 0) {
            LOG.infof("%d deliveries claimed here and held by no one (a store or hand-off that seemed to fail) went "
                    + "back to the queue", released);
        }
    }

    /** What this instance holds: lanes first, as a job leaves its lane only after it reached the recorder. */
    private List<DeliveryJob> held() {
        List<DeliveryJob> held = new ArrayList<>();
        dispatcher.lanes().all().forEach(lane -> held.addAll(lane.jobs()));
        held.addAll(recorder.claims().unwritten());
        return held;
    }
}
