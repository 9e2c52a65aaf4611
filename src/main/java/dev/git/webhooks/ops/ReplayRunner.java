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
    /** Active replays looked at, oldest first; the ticks take them in turn, a hundred at a time. */
    static final int MAX_LISTED = 10_000;

    private final Replays replays;
    private final OpsConfig config;
    /** Where the next tick starts in the list: each tick goes on after the last replay the previous one stepped. */
    private volatile long next;

    public ReplayRunner(Replays replays, OpsConfig config) {
        this.replays = replays;
        this.config = config;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        List<String> active;
        try {
            active = replays.active(MAX_LISTED);
        } catch (RuntimeException e) {
            LOG.warn("Could not list the replays to run; the next tick tries again", e);
            return;
        }
        int steps = Math.min(active.size(), MAX_STEPS_PER_TICK);
        int start = active.isEmpty() ? 0 : (int) (next % active.size());
        int left = config.replayRate();
        int stepped = 0;
        for (; stepped < steps && left > 0; stepped++) {
            String id = active.get((start + stepped) % active.size());
            int share = Math.max(1, left / (steps - stepped));
            int unused;
            try {
                unused = replays.step(id, share);
            } catch (RuntimeException e) { // one replay that fails does not hold back the others
                LOG.warnf(e, "A step of replay %s failed; the next turn tries again", id);
                continue;
            }
            if (unused < 0) {
                return; // another instance runs the replays
            }
            left -= share - unused;
        }
        next = start + stepped;
    }
}
