package dev.git.webhooks.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Every second, replay steps within the rate cap, each a transaction whose copies are sent once it commits: the
 * oldest active replay first, then, with what it left of the budget when it completed, the next one.
 */
@ApplicationScoped
public class ReplayRunner {

    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);
    /** Replays completed in one second at most, however little each had to copy: a tick stays short. */
    static final int MAX_STEPS_PER_TICK = 100;

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
            int left = config.replayRate();
            for (int steps = 0; left > 0 && steps < MAX_STEPS_PER_TICK; steps++) {
                left = replays.step(left);
            }
        } catch (RuntimeException e) {
            LOG.warn("A replay step failed; the next tick tries again", e);
        }
    }
}
