package dev.git.webhooks.delivery;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.git.webhooks.common.LogThrottle;
import dev.git.webhooks.outbox.DeliveryChanges;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.OutboxStore;
import dev.git.webhooks.outbox.OutboxStore.ClaimRequest;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Claims due deliveries from the outbox's queue (retries, deliveries that did not fit in a lane, those of a dead
 * instance) and offers them to the lanes: never more for an endpoint than its lane has room for, nothing for an
 * endpoint whose breaker is open (its queued deliveries are put aside until the breaker may close, so they cost
 * nothing meanwhile). Polls every {@code webhooks.delivery.poll-interval}, at once when woken (due deliveries
 * were queued, or a lane whose deliveries went to the queue has room again), and again at once while claims come
 * back full.
 */
@ApplicationScoped
public class Poller {

    private static final Logger LOG = Logger.getLogger(Poller.class);

    private final LogThrottle failures = new LogThrottle(LOG, java.time.Duration.ofSeconds(30));
    private final OutboxStore outbox;
    private final DeliveryChanges changes;
    private final Dispatcher dispatcher;
    private final DeliveryConfig config;
    private final Clock clock;
    private Thread thread;
    private volatile boolean running;

    public Poller(OutboxStore outbox, DeliveryChanges changes, Dispatcher dispatcher, DeliveryConfig config,
            Clock clock) {
        this.outbox = outbox;
        this.changes = changes;
        this.dispatcher = dispatcher;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 100) StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "delivery-poller");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event)
            throws InterruptedException {
        running = false;
        dispatcher.lanes().pollSignal().signal();
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** Polls now rather than at the next interval: due deliveries are waiting. */
    public void wake() {
        dispatcher.lanes().pollSignal().signal();
    }

    private void run() {
        while (running) {
            try {
                dispatcher.lanes().pollSignal().await(config.pollInterval());
                while (running && pollOnce()) {
                    // the claim came back full: there is more
                }
                failures.recovered("Polling the outbox works again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures.warn("Polling the outbox failed (" + e.getMessage() + "); trying again");
                sleep(config.pollInterval().toMillis() * 2);
            }
        }
    }

    /** One claim; true when it took as much as it asked for. */
    boolean pollOnce() {
        putAsideOpenBreakers();
        ClaimRequest request = dispatcher.lanes().claimRequest(config.claimBatchSize());
        if (request.limit() <= 0) {
            return false;
        }
        List<DeliveryJob> jobs = outbox.claim(request);
        caughtUp(request, jobs);
        if (!jobs.isEmpty()) {
            dispatcher.offer(jobs);
        }
        return jobs.size() == request.limit();
    }

    /** Lanes that got fewer of their queued deliveries than they had room for have none left waiting. */
    private void caughtUp(ClaimRequest request, List<DeliveryJob> jobs) {
        Map<String, Integer> taken = new HashMap<>();
        jobs.forEach(job -> taken.merge(job.endpointId(), 1, Integer::sum));
        for (Lane lane : dispatcher.lanes().all()) {
            String id = lane.endpointId();
            if (!request.excluded().contains(id)
                    && taken.getOrDefault(id, 0) < request.rooms().getOrDefault(id, request.defaultRoom())) {
                lane.caughtUp();
            }
        }
    }

    private void putAsideOpenBreakers() {
        for (Lane lane : dispatcher.lanes().all()) {
            if (lane.newlyOpened()) {
                changes.postpone(lane.endpointId(), lane.breaker().openUntil());
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
