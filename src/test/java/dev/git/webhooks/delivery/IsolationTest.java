package dev.git.webhooks.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class IsolationTest {

    @Test
    void aHangingEndpointDoesNotDelayAHealthyOne() {
        Api.Owner slow = Api.newOwner();
        String hanging = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(hanging)).willReturn(aResponse().withStatus(200)
                .withFixedDelay(5_000)));
        Api.createWebhook(slow, Map.of("url", Receivers.url(hanging), "events", List.of("*")));
        Api.Owner fast = Api.newOwner();
        String healthy = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(healthy)).willReturn(aResponse().withStatus(200)));
        Api.createWebhook(fast, Map.of("url", Receivers.url(healthy), "events", List.of("*")));

        // A flood for the hanging endpoint first: more deliveries than this instance may hold in memory
        // (webhooks.delivery.max-held=200 in tests; its lane holds 8 + 24), each of which would take a 2 s
        // timeout, 8 at a time.
        for (int i = 0; i < 250; i++) {
            send("repo.push", slow);
        }
        for (int i = 0; i < 50; i++) {
            send("deploy.success", fast);
        }
        Kafka.producer().flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(healthy).size() == 50);

        long firstHanging = Receivers.received(hanging).get(0).getLoggedDate().getTime();
        List<LoggedRequest> fastOnes = Receivers.received(healthy);
        long lastHealthy = fastOnes.get(fastOnes.size() - 1).getLoggedDate().getTime();
        System.out.printf("healthy endpoint had all 50 deliveries %d ms after the hanging one got its first "
                + "(its attempts time out after 2000 ms)%n", lastHealthy - firstHanging);
        assertThat("the healthy endpoint never waited for a hanging attempt to time out",
                lastHealthy - firstHanging, lessThan(2_000L));
        assertThat("the hanging endpoint has at most 8 attempts in flight", Receivers.received(hanging).size(),
                lessThanOrEqualTo(8));
    }

    private static void send(String type, Api.Owner owner) {
        Kafka.producer().send(new ProducerRecord<>(type, owner.name().getBytes(StandardCharsets.UTF_8),
                Kafka.event(type, Kafka.newEventId(), owner.name(), null).getBytes(StandardCharsets.UTF_8)));
    }
}
