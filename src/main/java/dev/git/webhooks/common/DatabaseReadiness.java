package dev.git.webhooks.common;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.scheduler.Scheduled;

/**
 * Readiness: the database answers, which is what the HTTP API needs. A probe runs every second in the background
 * and readiness reports its last answer, so that {@code /q/health/ready} never waits for a database that does not
 * answer. DOWN when no probe has succeeded for {@link #SILENT} and the last one failed or has been waiting for its
 * answer longer than {@link #STALE} (a database that is down or hangs, or a pool with no connection to give), or
 * when none has started for {@link #UNSCHEDULED} (the scheduler stopped). A slow or failed probe less than
 * {@code SILENT} after an answer, on a host whose CPU the deliveries take at capacity, says nothing of the database
 * (a {@code select 1} can wait seconds for a core: OverloadIT's broker kill failed once so): an instance at capacity
 * does not take itself out of its Service (SPEC §3); a database that is away is seen within about {@code SILENT}
 * plus a second.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    static final Duration STALE = Duration.ofSeconds(3);
    static final Duration SILENT = Duration.ofSeconds(5);
    static final Duration UNSCHEDULED = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final Clock clock;
    private volatile Instant lastUp = Instant.MIN;
    private volatile String lastError = "not checked yet";
    private volatile Instant lastStarted = Instant.MIN;
    /** When the probe waiting for its answer started; null between probes. */
    private final AtomicReference<Instant> inFlight = new AtomicReference<>();

    public DatabaseReadiness(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void started(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        probe();
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        Instant started = clock.instant();
        lastStarted = started;
        inFlight.set(started);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            statement.execute("select 1");
            lastUp = clock.instant();
            lastError = null;
        } catch (Exception e) {
            lastError = e.getMessage() == null ? e.toString() : e.getMessage();
        } catch (Error e) {
            lastError = e.toString(); // DOWN, and the JVM's own trouble goes on up
            throw e;
        } finally {
            inFlight.compareAndSet(started, null); // not another probe's (the startup one and a scheduled one)
        }
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = clock.instant();
        Instant waiting = inFlight.get();
        String error = lastError;
        if (error == null && waiting != null && waiting.isBefore(now.minus(STALE))) {
            error = "no answer for " + Duration.between(waiting, now).toMillis() + " ms";
        }
        if (error != null && lastUp.isAfter(now.minus(SILENT))) {
            error = null; // one probe's trouble, with an answer less than SILENT ago
        }
        if (error == null && lastStarted.isBefore(now.minus(UNSCHEDULED))) {
            error = "not checked for " + Duration.between(lastStarted, now).toSeconds() + " s";
        }
        return HealthCheckResponse.named("database").status(error == null)
                .withData("last_ok", lastUp.equals(Instant.MIN) ? "never" : lastUp.toString())
                .withData("error", error == null ? "" : error)
                .build();
    }
}
