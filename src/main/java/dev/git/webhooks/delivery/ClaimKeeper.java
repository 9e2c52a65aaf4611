package dev.git.webhooks.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps this instance's claims alive, however slow its endpoints: every heartbeat it renews the lease of each held
 * delivery that has one (and gives one to fresh deliveries held longer than half the fresh horizon), then says the
 * instance is alive. A claim found lost is dropped from its lane unsent; if the others took the whole instance for
 * dead, everything it held is dropped.
 */
@ApplicationScoped
public class ClaimKeeper {

    private static final Logger LOG = Logger.getLogger(ClaimKeeper.class);

    private final LogThrottle failures = new LogThrottle(LOG, java.time.Duration.ofSeconds(30));
    private final Dispatcher dispatcher;
    private final OutboxStore outbox;
    private final Instance instance;
    private final OutboxConfig config;
    private final Clock clock;

    public ClaimKeeper(Dispatcher dispatcher, OutboxStore outbox, Instance instance, OutboxConfig config,
            Clock clock) {
        this.dispatcher = dispatcher;
        this.outbox = outbox;
        this.instance = instance;
        this.config = config;
        this.clock = clock;
    }

    /** Registers the instance before anything can be claimed. */
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event) {
        instance.heartbeat(clock.instant());
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) {
        instance.leave();
    }

    @Scheduled(every = "${webhooks.outbox.heartbeat:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            keep();
            failures.recovered("Renewing claims works again");
        } catch (RuntimeException e) {
            failures.warn("Renewing claims failed (" + e.getMessage() + "); trying again at the next heartbeat");
        }
        dispatcher.lanes().sweep();
        dispatcher.pumpAll();
    }

    /** One heartbeat: renew, then say alive. */
    void keep() {
        Instant now = clock.instant();
        Instant convertBefore = now.minus(config.freshHorizon().dividedBy(2));
        List<DeliveryJob> renew = new ArrayList<>();
        Instant oldestFresh = now;
        for (Lane lane : dispatcher.lanes().all()) {
            for (DeliveryJob job : lane.jobs()) {
                if (job.leased() || job.createdAt().isBefore(convertBefore)) {
                    renew.add(job);
                } else if (job.createdAt().isBefore(oldestFresh)) {
                    oldestFresh = job.createdAt();
                }
            }
        }
        Set<String> lost = outbox.renew(renew, now.plus(config.lease()));
        if (!lost.isEmpty()) {
            LOG.infof("%d claimed deliveries passed to another instance; they are dropped here unsent", lost.size());
            for (Lane lane : dispatcher.lanes().all()) {
                dispatcher.lanes().released(lane.forget(lost));
            }
        }
        if (!instance.heartbeat(oldestFresh)) {
            for (Lane lane : dispatcher.lanes().all()) {
                dispatcher.lanes().released(lane.drain());
            }
        }
    }
}
