package dev.git.webhooks.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.store.OutboxStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Claims due deliveries from the outbox with {@code FOR UPDATE SKIP LOCKED}, moving their next attempt time forward
 * by the lease, and hands them to the {@link Dispatcher}: retries, deliveries that did not fit in a lane, and those
 * that a dead instance left behind. It polls every {@code webhooks.delivery.poll-interval}, at once when woken
 * (ingest stored due rows, a replay step ran) and, while there is a backlog, whenever a lane has room again.
 */
@ApplicationScoped
public class OutboxPoller {

    private static final Logger LOG = Logger.getLogger(OutboxPoller.class);

    private final Semaphore wake = new Semaphore(0);
    private final OutboxStore outbox;
    private final Dispatcher dispatcher;
    private final DeliveryConfig config;
    private final Clock clock;
    private Thread thread;
    private volatile boolean running;
    /** Due deliveries may be waiting: lanes that drain ask for more at once. */
    private volatile boolean backlog;

    public OutboxPoller(OutboxStore outbox, Dispatcher dispatcher, DeliveryConfig config, Clock clock) {
        this.outbox = outbox;
        this.dispatcher = dispatcher;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 100) StartupEvent event) {
        dispatcher.onRoom(() -> {
            if (backlog) {
                wake.release();
            }
        });
        running = true;
        thread = new Thread(this::run, "delivery-poller");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event)
            throws InterruptedException {
        running = false;
        wake.release();
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** Polls now rather than at the next interval: due deliveries are waiting. */
    public void wake() {
        backlog = true;
        wake.release();
    }

    private void run() {
        long lastSweep = System.nanoTime();
        while (running) {
            try {
                wake.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                if (!running) {
                    return;
                }
                int claimed;
                do {
                    claimed = claimOnce();
                } while (running && claimed > 0 && claimed == config.claimBatchSize());
                if (System.nanoTime() - lastSweep > TimeUnit.MINUTES.toNanos(1)) {
                    dispatcher.sweepIdleLanes();
                    lastSweep = System.nanoTime();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "Polling the outbox failed; trying again");
                sleep(config.pollInterval().toMillis() * 2);
            }
        }
    }

    private int claimOnce() {
        Instant now = clock.instant();
        Dispatcher.ClaimScope scope = dispatcher.claimScope(now, config.claimBatchSize());
        if (scope.room() <= 0) {
            return 0;
        }
        List<DeliveryJob> jobs = outbox.claim(now, now.plus(config.lease()), scope.room(), scope.excluded());
        backlog = jobs.size() == scope.room() || scope.anyFull();
        if (!jobs.isEmpty()) {
            dispatcher.offer(jobs);
        }
        return jobs.size();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
