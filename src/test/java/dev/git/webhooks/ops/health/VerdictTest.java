package dev.git.webhooks.ops.health;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.outbox.ActivityViews.Activity;

/** The verdict on an endpoint, from its switches, its latest attempts and its breaker, in its owner's words. */
class VerdictTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static Activity activity(long attempts, long successes, boolean lastOk, Integer status, String error,
            long retrying, long waiting) {
        Instant last = attempts == 0 ? null : NOW.minusSeconds(90);
        return new Activity(attempts, successes, 120L, last, status, error, lastOk,
                lastOk ? null : error, lastOk ? null : last, retrying, waiting, NOW.minus(Duration.ofHours(3)),
                NOW.plusSeconds(40));
    }

    @Test
    void anEndpointRefusingConnectionsBehindAnOpenBreakerIsFailingAndSaysWhyAndWhatWaits() {
        Verdict v = Verdict.of(new Verdict.Facts("enabled", true, null, NOW.minus(Duration.ofHours(3)), "open",
                activity(5, 0, false, null, "connection_refused", 5, 2505)), NOW);
        assertThat(v.level(), equalTo("failing"));
        assertThat(v.headline(), equalTo("Failing for 3 h"));
        assertThat(v.detail(), containsString("Every attempt has failed for 3 h."));
        assertThat(v.detail(), containsString("The last attempt refused the connection, 1 min ago."));
        assertThat(v.detail(), containsString("sends one trial delivery at a time"));
        assertThat(v.detail(), containsString("2,510 deliveries waiting, 5 of them being retried."));
        assertThat("the customer's words name no breaker", v.detail(), not(containsString("breaker")));
        assertThat(v.operatorNote(), equalTo("Circuit breaker open for every instance."));
    }

    @Test
    void aLatestAttemptThatFailedMakesItFailingEvenBeforeTheServiceMarksIt() {
        Verdict v = Verdict.of(new Verdict.Facts("enabled", true, null, null, "closed",
                activity(3, 2, false, 503, "http_status", 1, 0)), NOW);
        assertThat(v.level(), equalTo("failing"));
        assertThat(v.detail(), containsString("The last attempt answered HTTP 503"));
        assertThat(v.operatorNote(), nullValue());
    }

    @Test
    void someFailuresAmongSuccessesAreDegradedWithAnExactRatio() {
        Verdict v = Verdict.of(new Verdict.Facts("enabled", true, null, null, "closed",
                activity(2511, 2500, true, 200, null, 11, 0)), NOW);
        assertThat(v.level(), equalTo("degraded"));
        assertThat(v.detail(), containsString("99.6 % (2,500 of 2,511) of the last hour's attempts succeeded"));
    }

    @Test
    void switchedOffEndpointsSayWhoAndWhy() {
        assertThat(Verdict.of(new Verdict.Facts("auto_disabled", true, "gone", null, "closed",
                activity(1, 0, false, 410, "http_status", 0, 0)), NOW).detail(), containsString("410 Gone"));
        assertThat(Verdict.of(new Verdict.Facts("auto_disabled", true, "failing", NOW.minus(Duration.ofDays(5)),
                "closed", activity(0, 0, false, null, null, 0, 0)), NOW).detail(), containsString("for 5 days"));
        assertThat(Verdict.of(new Verdict.Facts("disabled", true, "operator", null, "closed",
                activity(0, 0, false, null, null, 0, 0)), NOW).detail(), containsString("An operator disabled it"));
        Verdict paused = Verdict.of(new Verdict.Facts("enabled", false, null, null, "closed",
                activity(0, 0, false, null, null, 0, 0)), NOW);
        assertThat(paused.level(), equalTo("paused"));
    }

    @Test
    void quietAndNewEndpointsAreNotCalledHealthyWithoutAnAttempt() {
        assertThat(Verdict.of(new Verdict.Facts("enabled", true, null, null, "closed",
                activity(0, 0, false, null, null, 0, 0)), NOW).level(), equalTo("idle"));
        assertThat(Verdict.of(new Verdict.Facts("enabled", true, null, null, "closed",
                activity(0, 0, false, null, null, 0, 3)), NOW).level(), equalTo("waiting"));
        Verdict healthy = Verdict.of(new Verdict.Facts("enabled", true, null, null, "closed",
                activity(4, 4, true, 204, null, 0, 0)), NOW);
        assertThat(healthy.level(), equalTo("healthy"));
        assertThat(healthy.detail(), equalTo("Every attempt of the last hour succeeded (4 attempts)."));
    }
}
