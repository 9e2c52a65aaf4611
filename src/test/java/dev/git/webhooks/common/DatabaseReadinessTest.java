package dev.git.webhooks.common;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.FakeClock;

/**
 * Readiness reads the database's last answer: a late probe is no answer, a probe without one is, and the database
 * is down once its last answer is five seconds old.
 */
class DatabaseReadinessTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-12-07T12:00:00Z"));

    @Test
    void aProbeLateToStartLeavesReadinessUpAndNoneForHalfAMinuteTakesItDown() {
        DatabaseReadiness readiness = new DatabaseReadiness(answering(null, null), clock);
        assertThat("not checked yet", status(readiness), equalTo(HealthCheckResponse.Status.DOWN));
        readiness.probe();
        assertThat(status(readiness), equalTo(HealthCheckResponse.Status.UP));
        clock.advance(Duration.ofSeconds(10)); // the scheduler's thread starved by deliveries at capacity
        assertThat(status(readiness), equalTo(HealthCheckResponse.Status.UP));
        clock.advance(Duration.ofSeconds(21));
        assertThat(status(readiness), equalTo(HealthCheckResponse.Status.DOWN));
        assertThat(error(readiness), containsString("not checked"));
        readiness.probe();
        assertThat(status(readiness), equalTo(HealthCheckResponse.Status.UP));
    }

    @Test
    void aDatabaseThatStopsAnsweringIsDownOnceItsLastAnswerIsFiveSecondsOldNotAtTheFirstFailure() {
        java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean();
        DataSource up = answering(null, null);
        DatabaseReadiness readiness = new DatabaseReadiness(proxy(DataSource.class, (name, args) -> {
            if (away.get()) {
                throw new SQLException("Connection to 127.0.0.1:5432 refused");
            }
            return up.getConnection();
        }), clock);
        readiness.probe();
        away.set(true);
        for (int second = 1; second <= 4; second++) {
            clock.advance(Duration.ofSeconds(1));
            readiness.probe();
            assertThat(second + " s of failed probes, on a host that may only be starved",
                    status(readiness), equalTo(HealthCheckResponse.Status.UP));
        }
        clock.advance(Duration.ofSeconds(1));
        readiness.probe();
        assertThat("5 s without an answer", status(readiness), equalTo(HealthCheckResponse.Status.DOWN));
        assertThat(error(readiness), containsString("refused"));
        away.set(false);
        clock.advance(Duration.ofSeconds(1));
        readiness.probe();
        assertThat("up again at the first answer", status(readiness), equalTo(HealthCheckResponse.Status.UP));
    }

    @Test
    void aProbeWithoutAnAnswerIsDownOnceTheLastAnswerIsFiveSecondsOldAndAFailedOneWithoutAnyAtOnce()
            throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        DatabaseReadiness readiness = new DatabaseReadiness(answering(answer, asked), clock);
        readiness.probe();
        assertThat(status(readiness), equalTo(HealthCheckResponse.Status.UP));
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(readiness::probe);
        assertThat(asked.await(5, TimeUnit.SECONDS), equalTo(true));
        clock.advance(Duration.ofSeconds(2));
        assertThat("two seconds without an answer", status(readiness), equalTo(HealthCheckResponse.Status.UP));
        clock.advance(Duration.ofSeconds(2));
        assertThat("four seconds without an answer, the last one 4 s ago", status(readiness),
                equalTo(HealthCheckResponse.Status.UP));
        clock.advance(Duration.ofSeconds(2));
        assertThat("six seconds without an answer", status(readiness), equalTo(HealthCheckResponse.Status.DOWN));
        assertThat(error(readiness), containsString("no answer for 6000 ms"));
        answer.countDown();
        waiting.get(5, TimeUnit.SECONDS);
        assertThat(status(readiness), equalTo(HealthCheckResponse.Status.UP));

        DatabaseReadiness refused = new DatabaseReadiness(failing(new SQLException("Connection to 127.0.0.1:5432 "
                + "refused")), clock);
        refused.probe();
        assertThat(status(refused), equalTo(HealthCheckResponse.Status.DOWN));
        assertThat(error(refused), containsString("refused"));

        DatabaseReadiness broken = new DatabaseReadiness(failing(new OutOfMemoryError("Java heap space")), clock);
        assertThrows(OutOfMemoryError.class, broken::probe);
        assertThat("an Error is no answer either", status(broken), equalTo(HealthCheckResponse.Status.DOWN));
    }

    private static HealthCheckResponse.Status status(DatabaseReadiness readiness) {
        return readiness.call().getStatus();
    }

    private static String error(DatabaseReadiness readiness) {
        return String.valueOf(readiness.call().getData().orElseThrow().get("error"));
    }

    /**
     * A database whose first {@code select 1} answers at once; each later one, with {@code answer} given, counts
     * {@code asked} down and answers once {@code answer} opens.
     */
    private static DataSource answering(CountDownLatch answer, CountDownLatch asked) {
        int[] calls = { 0 };
        Statement statement = proxy(Statement.class, (name, args) -> {
            if (name.equals("execute") && calls[0]++ > 0 && answer != null) {
                asked.countDown();
                answer.await(10, TimeUnit.SECONDS);
            }
            return name.equals("execute") ? Boolean.TRUE : null;
        });
        Connection connection = proxy(Connection.class, (name, args) -> name.equals("createStatement") ? statement
                : null);
        return proxy(DataSource.class, (name, args) -> name.equals("getConnection") ? connection : null);
    }

    private static DataSource failing(Throwable failure) {
        return proxy(DataSource.class, (name, args) -> {
            throw failure;
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(DatabaseReadinessTest.class.getClassLoader(), new Class<?>[] { type },
                (self, method, args) -> answer.answer(method.getName(), args)));
    }
}
