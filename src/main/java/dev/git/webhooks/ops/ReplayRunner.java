package dev.git.webhooks.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/** Every second, one replay step within the rate cap; its copies are sent once it commits. */
@ApplicationScoped
public class ReplayRunner {

    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);

    private final Replays replays;
    private final OpsConfig config;

    public ReplayRunner(Replays replays, OpsConfig config) {
        this.replays = replays;
        this.config = config;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        try {
            replays.step(config.replayRate());
        } catch (RuntimeException e) {
            LOG.warn("A replay step failed; the next tick tries again", e);
        }
    }
}
