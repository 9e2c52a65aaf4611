package dev.git.webhooks.ops;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Every second, replay steps within the rate cap, each a transaction whose copies are sent once it commits. The
 * active replays share the second's budget, each an equal part (what one leaves when it completes goes to those after
 * it): one owner's replay or recover of millions does not hold back another's replay of ten until it is done.
 */
@ApplicationScoped
public class ReplayRunner {

    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);
    /** Replays stepped in one second at most, however little each had to copy: a tick stays short. */
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
            List<String> active = replays.active(MAX_STEPS_PER_TICK);
            int left = config.replayRate();
            for (int i = 0; i < active.size() && left > 0; i++) {
                int share = Math.max(1, left / (active.size() - i));
                int unused = replays.step(active.get(i), share);
                if (unused < 0) {
                    return; // another instance runs the replays
                }
                left -= share - unused;
            }
        } catch (RuntimeException e) {
            LOG.warn("A replay step failed; the next tick tries again", e);
        }
    }
}
