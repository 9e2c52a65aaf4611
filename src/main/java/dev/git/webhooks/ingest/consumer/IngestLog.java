package dev.git.webhooks.ingest.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Logs ingest as counts per interval, not line by line: a flood of bad records or a batch failing every second
 * must not flood the log. The first failure of a streak is logged at once with its cause (and stack trace); the
 * rest of the streak as counts; its end as one line.
 */
public final class IngestLog {

    /** Where lines go (the JBoss logger in the service, a list in tests). */
    public interface Lines {
        void info(String line);

        void warn(String line, Throwable cause);

        /** A line for each record, written only when the logger's level is DEBUG. */
        default void debug(String line) {
        }
    }

    private final Lines lines;
    private final Duration interval;
    private final Map<String, Integer> deadLettered = new TreeMap<>();
    private Instant windowStart;
    private int truncated;
    private int failures;
    private String latestFailure;
    private Instant failingSince;
    private int streak;

    public IngestLog(Lines lines, Duration interval, Instant now) {
        this.lines = lines;
        this.interval = interval;
        this.windowStart = now;
    }

    /**
     * Counts the batch's dead letters for the interval's line, and writes one DEBUG line per record at once, inside
     * the batch (and so inside its trace span, whose ids the line carries).
     */
    void deadLettered(List<DeadLetter> letters, int truncatedCount) {
        letters.forEach(l -> deadLettered.merge(l.reason(), 1, Integer::sum));
        letters.forEach(l -> lines.debug("Dead-lettered " + l.describe()));
        truncated += truncatedCount;
    }

    /** A batch (or a poll) failed and will be retried. */
    void failed(String stage, Throwable cause, Instant now) {
        String what = stage + ": " + StoreFailures.describe(cause);
        if (failingSince == null) {
            failingSince = now;
            lines.warn("Ingest failed (" + what + "); rewinding and retrying with backoff. Further failures are "
                    + "counted every " + interval.toSeconds() + " s", cause);
        } else {
            failures++;
            latestFailure = what;
        }
        streak++;
    }

    void succeeded(Instant now) {
        if (failingSince != null) {
            lines.info("Ingest recovered after " + streak + " failed attempt(s) over "
                    + Duration.between(failingSince, now).toSeconds() + " s");
            failingSince = null;
            streak = 0;
            failures = 0; // counted in the line above
            latestFailure = null;
        }
    }

    /** Writes the counts of the interval that ended, if one did. */
    void flushIfDue(Instant now) {
        if (Duration.between(windowStart, now).compareTo(interval) >= 0) {
            flush(now);
        }
    }

    /** Writes the counts so far (the interval ended, or the consumer stops). */
    void flush(Instant now) {
        long seconds = Math.max(1, Duration.between(windowStart, now).toSeconds());
        if (!deadLettered.isEmpty()) {
            int total = deadLettered.values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder reasons = new StringBuilder();
            deadLettered.forEach((reason, n) -> reasons.append(reasons.isEmpty() ? "" : ", ")
                    .append(reason).append(": ").append(n));
            lines.info("Dead-lettered " + total + " record(s) in the last " + seconds + " s (" + reasons + ")"
                    + (truncated > 0 ? "; " + truncated + " published truncated" : ""));
        }
        if (failures > 0) {
            lines.warn("Ingest still failing: " + failures + " more failed attempt(s) in the last " + seconds
                    + " s, failing since " + failingSince + " (latest: " + latestFailure + ")", null);
        }
        deadLettered.clear();
        truncated = 0;
        failures = 0;
        windowStart = now;
    }
}
