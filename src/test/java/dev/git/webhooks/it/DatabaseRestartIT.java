package dev.git.webhooks.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Load;
import dev.git.webhooks.testing.RestartablePostgres;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * PostgreSQL stops the hard way (immediate mode) in the middle of a load and starts again: readiness says DOWN
 * while it is away and UP when it is back, without restarting the service, and every event reaches every endpoint.
 */
class DatabaseRestartIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private long slowestProbeMillis;

    @Test
    void losesNothingAndReportsReadinessWhenPostgresStopsAndComesBack() throws Exception {
        Infrastructure.startOnce();
        try (RestartablePostgres postgres = RestartablePostgres.start();
                Load load = Load.on(Infrastructure.bootstrapServers())) {
            Map<String, String> env = load.environment();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
            try (ServiceProcess service = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90))) {
                load.endpoints(service, 2, aResponse().withStatus(200));
                CompletableFuture<Void> producing = load.publishInBackground(1500, 150);
                await().atMost(Duration.ofSeconds(30)).until(() -> load.accepted().size() >= 300);
                postgres.stopImmediately();
                Instant down = Instant.now();
                await("readiness reports the database down").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(250)).until(() -> ready(service) == 503);
                await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
                assertThat("still down while the database is away", ready(service), org.hamcrest.Matchers.equalTo(503));
                postgres.restart();
                Duration outage = Duration.between(down, Instant.now());
                await("readiness reports UP again without a restart of the service").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250)).until(() -> ready(service) == 200);
                producing.get();
                load.flush();

                await("every acknowledged event reaches both endpoints").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(250)).until(() -> load.missing().isEmpty());
                System.out.printf("PostgreSQL stopped (immediate) for %d ms: %d events, %d accepted deliveries, "
                        + "%d duplicates; slowest readiness probe %d ms%n", outage.toMillis(), load.acked().size(),
                        load.accepted().size(), load.duplicates(), slowestProbeMillis);
                assertThat(load.acked().size(), greaterThan(1000));
                assertThat("nothing lost", load.missing(), empty());
                assertThat("readiness answers within a second", slowestProbeMillis, lessThanOrEqualTo(1000L));
            }
        }
    }

    private int ready(ServiceProcess service) throws Exception {
        long start = System.nanoTime();
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl()
                + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        slowestProbeMillis = Math.max(slowestProbeMillis, (System.nanoTime() - start) / 1_000_000);
        return response.statusCode();
    }
}
