package dev.git.webhooks.common;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.agroal.api.AgroalDataSource;

/**
 * Readiness: the HTTP API needs PostgreSQL, and nothing else (Kafka is ingest's, in the {@code ingest} health
 * group). It replaces Quarkus's datasource check, which waits for a pooled connection (up to the acquisition
 * timeout) or for the driver's connect timeout: a probe must answer within a second, always. The check runs on its
 * own thread with a fresh connection (a busy pool is not an outage); the probe waits for it at most
 * {@link #ANSWER_WITHIN} and otherwise says DOWN at once, while the slow check goes on.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    static final Duration ANSWER_WITHIN = Duration.ofMillis(700);

    private final AgroalDataSource dataSource;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "readiness-database");
        thread.setDaemon(true);
        return thread;
    });
    private Future<String> inFlight;

    public DatabaseReadiness(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        String problem;
        try {
            problem = current().get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            problem = "PostgreSQL did not answer within " + ANSWER_WITHIN.toMillis() + " ms";
        } catch (ExecutionException e) {
            problem = String.valueOf(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        return problem == null ? HealthCheckResponse.up("database")
                : HealthCheckResponse.named("database").down().withData("error", problem).build();
    }

    /** The check under way, or a new one: probes that come together share one connection attempt. */
    private synchronized Future<String> current() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = checker.submit(this::check);
        }
        return inFlight;
    }

    private String check() {
        try {
            return dataSource.isHealthy(true) ? null : "PostgreSQL refused the validation query";
        } catch (Exception e) {
            return String.valueOf(e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
    }
}
