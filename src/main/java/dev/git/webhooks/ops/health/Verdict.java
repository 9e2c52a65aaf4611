package dev.git.webhooks.ops.health;

import dev.git.webhooks.ops.health.words.Ago;
import dev.git.webhooks.ops.health.words.Counts;
import dev.git.webhooks.ops.health.words.ErrorWords;
import dev.git.webhooks.ops.health.words.Ratio;
import java.time.Instant;

import dev.git.webhooks.outbox.ActivityViews.Activity;

/**
 * How an endpoint is doing, said the way its owner would want to hear it. The level is what the badge shows
 * ({@code healthy}, {@code degraded}, {@code failing}, {@code disabled}, {@code paused}, {@code waiting},
 * {@code idle}); the headline and detail are plain sentences; {@code operatorNote} adds the circuit breaker's state
 * for operators, who know the term. A failing endpoint is failing whatever its status says: the latest attempt and
 * the service's own "failing since" decide, not the newest deliveries (which may all be waiting untried).
 */
public record Verdict(String level, String headline, String detail, String operatorNote) {

    /** What the verdict is drawn from. */
    public record Facts(String status, boolean active, String disabledReason, Instant failingSince, String breaker,
            Activity activity) {
    }

    public static Verdict of(Facts f, Instant now) {
        Activity a = f.activity();
        String note = "open".equals(f.breaker()) || "half_open".equals(f.breaker())
                ? "Circuit breaker " + f.breaker().replace('_', '-') + " for every instance." : null;
        if ("auto_disabled".equals(f.status())) {
            return new Verdict("disabled", "Disabled by the service", "gone".equals(f.disabledReason())
                    ? "It answered 410 Gone, which says it no longer exists. Nothing is sent to it until it is enabled."
                    : "Every attempt failed for too long" + since(f.failingSince(), now)
                            + ". Nothing is sent to it until it is enabled.", note);
        }
        if ("disabled".equals(f.status()) && "unverified".equals(f.disabledReason())) {
            return new Verdict("disabled", "Ownership not verified", "It has not answered the signed challenge yet. "
                    + "Nothing is sent to it until it does; the events meanwhile are recovered for it then.", note);
        }
        if ("disabled".equals(f.status())) {
            return new Verdict("disabled", "Disabled", ("operator".equals(f.disabledReason()) ? "An operator"
                    : "Its owner") + " disabled it. Nothing is sent to it until it is enabled.", note);
        }
        if (!f.active()) {
            return new Verdict("paused", "Paused", "Its owner paused it. New events are not delivered to it until it "
                    + "is resumed.", note);
        }
        String waiting = a.pending() == 0 ? "" : " " + Counts.deliveries(a.pending()) + " waiting"
                + (a.retrying() > 0 ? ", " + Counts.of(a.retrying()) + " of them being retried" : "") + ".";
        boolean lastFailed = a.lastAt() != null && !a.lastSucceeded();
        if (f.failingSince() != null || lastFailed) {
            String last = a.lastErrorAt() == null ? "" : " The last attempt " + ErrorWords.of(a.lastStatus(),
                    a.lastErrorClass()) + ", " + Ago.of(a.lastErrorAt(), now) + ".";
            String held = note == null ? "" : " After repeated failures the service holds deliveries to it and sends "
                    + "one trial delivery at a time, waiting longer after each failure; the others follow once one "
                    + "succeeds.";
            String headline = f.failingSince() != null ? "Failing" + since(f.failingSince(), now) : "Failing";
            return new Verdict("failing", headline, (f.failingSince() != null ? "Every attempt has failed"
                    + since(f.failingSince(), now) + "." : "Its latest attempt failed.") + last + held + waiting, note);
        }
        Ratio ratio = new Ratio(a.successes(), a.attempts());
        if (a.attempts() > 0 && a.successes() < a.attempts()) {
            return new Verdict("degraded", "Some attempts fail", ratio.sentence()
                    + " of the last hour's attempts succeeded; failed ones are retried." + waiting, note);
        }
        if (a.attempts() > 0) {
            return new Verdict("healthy", "Healthy", "Every attempt of the last hour succeeded ("
                    + Counts.of(a.attempts(), "attempt", null) + ")." + waiting, note);
        }
        if (a.lastAt() != null) {
            return new Verdict("healthy", "Healthy", "Nothing was sent in the last hour; the last attempt succeeded "
                    + Ago.of(a.lastAt(), now) + "." + waiting, note);
        }
        if (a.pending() > 0) {
            return new Verdict("waiting", "Waiting", "Nothing was attempted yet." + waiting, note);
        }
        return new Verdict("idle", "No deliveries yet", "No event was delivered to it yet.", note);
    }

    /** " for 3 h": how long it has been failing. */
    private static String since(Instant since, Instant now) {
        if (since == null) {
            return "";
        }
        String span = Ago.span(java.time.Duration.between(since, now).abs());
        return span.isEmpty() ? " for a moment" : " for " + span;
    }
}
