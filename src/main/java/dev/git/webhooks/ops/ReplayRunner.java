package dev.git.webhooks.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.Dispatcher;
import io.quarkus.scheduler.Scheduled;

/** Every second, one replay step within the rate cap; the poller then sends the copies. */
@ApplicationScoped
public class ReplayRunner {

    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);

    private final Replays replays;
    private final Dispatcher dispatcher;
    private final OpsConfig config;

    public ReplayRunner(Replays replays, Dispatcher dispatcher, OpsConfig config) {
        this.replays = replays;
        this.dispatcher = dispatcher;
        this.config = config;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        try {
            if (replays.step(config.replayRate()) > 0) {
                dispatcher.wake();
            }
        } catch (RuntimeException e) {
            LOG.warn("A replay step failed; the next tick tries again", e);
        }
    }
}
