package dev.git.webhooks.ops.health.words;

import java.time.Duration;
import java.time.Instant;

/** A time as people say it next to now: "12 s ago", "3 h ago", "in 2 min", "5 days ago". */
public final class Ago {

    private Ago() {
    }

    public static String of(Instant time, Instant now) {
        Duration d = Duration.between(time, now);
        boolean future = d.isNegative();
        String span = span(d.abs());
        if (span.isEmpty()) {
            return "just now";
        }
        return future ? "in " + span : span + " ago";
    }

    /** A duration in its largest sensible unit: "45 s", "12 min", "3 h", "5 days"; empty under a second. */
    public static String span(Duration d) {
        long s = d.toSeconds();
        if (s < 1) {
            return "";
        }
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 48 * 3600) {
            return s / 3600 + " h";
        }
        return s / 86400 + " days";
    }
}
