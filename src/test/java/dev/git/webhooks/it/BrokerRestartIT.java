package dev.git.webhooks.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.BrokerProcess;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Load;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * The Kafka broker dies (SIGKILL) in the middle of a load and comes back with its data: the service carries on by
 * itself and every event the broker acknowledged reaches every endpoint.
 */
class BrokerRestartIT {

    @Test
    void losesNothingWhenTheBrokerIsKilledAndRestarted() throws Exception {
        Infrastructure.startOnce();
        try (BrokerProcess broker = BrokerProcess.start(); Load load = Load.on(broker.bootstrapServers())) {
            Map<String, String> env = load.environment();
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            try (ServiceProcess service = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90))) {
                load.endpoints(service, 2, aResponse().withStatus(200));
                CompletableFuture<Void> producing = load.publishInBackground(1500, 150);
                await().atMost(Duration.ofSeconds(30)).until(() -> load.accepted().size() >= 300);
                broker.kill();
                Instant down = Instant.now();
                await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
                broker.restart();
                Duration outage = Duration.between(down, Instant.now());
                producing.get();
                load.flush();

                await("every acknowledged event reaches both endpoints").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(250)).until(() -> load.missing().isEmpty());
                System.out.printf("broker killed and restarted after %d ms: %d events acknowledged, %d accepted "
                        + "deliveries, %d duplicates%n", outage.toMillis(), load.acked().size(),
                        load.accepted().size(), load.duplicates());
                assertThat(load.acked().size(), greaterThan(1000));
                assertThat("nothing lost", load.missing(), empty());
            }
        }
    }
}
