package dev.git.webhooks.common;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.scheduler.Scheduled;

/**
 * Readiness: the database answers, which is what the HTTP API needs. A probe runs every second in the background
 * and readiness reports its last answer, so that {@code /q/health/ready} never waits for a database that does not
 * answer (an answer older than {@link #STALE} counts as DOWN).
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    static final Duration STALE = Duration.ofSeconds(3);

    private final DataSource dataSource;
    private final Clock clock;
    private volatile Instant lastUp = Instant.MIN;
    private volatile String lastError = "not checked yet";

    public DatabaseReadiness(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void started(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        probe();
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            statement.execute("select 1");
            lastUp = clock.instant();
            lastError = null;
        } catch (Exception e) {
            lastError = e.getMessage();
        }
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = lastError == null && lastUp.isAfter(clock.instant().minus(STALE));
        return HealthCheckResponse.named("database").status(up)
                .withData("last_ok", lastUp.equals(Instant.MIN) ? "never" : lastUp.toString())
                .withData("error", lastError == null ? "" : lastError)
                .build();
    }
}
