package dev.git.webhooks.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.git.webhooks.delivery.OutboxPoller;
import io.quarkus.scheduler.Scheduled;

/** Every second, one replay step within the rate cap; the poller then sends the copies. */
@ApplicationScoped
public class ReplayRunner {

    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);

    private final Replays replays;
    private final OutboxPoller poller;
    private final OpsConfig config;

    public ReplayRunner(Replays replays, OutboxPoller poller, OpsConfig config) {
        this.replays = replays;
        this.poller = poller;
        this.config = config;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        try {
            if (replays.step(config.replayRate()) > 0) {
                poller.wake();
            }
        } catch (RuntimeException e) {
            LOG.warn("A replay step failed; the next tick tries again", e);
        }
    }
}
