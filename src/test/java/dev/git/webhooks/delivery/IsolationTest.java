package dev.git.webhooks.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class IsolationTest {

    @Test
    void aHangingEndpointDoesNotDelayAHealthyOne() {
        Api.Owner owner = Api.newOwner();
        String hanging = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(hanging)).willReturn(aResponse().withStatus(200)
                .withFixedDelay(5_000)));
        String healthy = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(healthy)).willReturn(aResponse().withStatus(200)));
        Api.createWebhook(owner, Map.of("url", Receivers.url(hanging), "events", List.of("*")));
        Api.createWebhook(owner, Map.of("url", Receivers.url(healthy), "events", List.of("*")));

        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 40; i++) {
            String id = Kafka.newEventId();
            ids.add(id);
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", id, owner.name(), null));
        }
        // 40 deliveries to the hanging endpoint take 5 batches of 8 × 2 s timeouts; the healthy one gets all 40 at
        // once.
        await().atMost(Duration.ofSeconds(5)).until(() -> Receivers.received(healthy).size() == ids.size());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("healthy endpoint got %d deliveries in %d ms while the other hung%n", ids.size(),
                elapsedMs);
        assertThat(elapsedMs, lessThan(4_000L));
        assertThat("the hanging endpoint never has more than 8 in flight",
                Receivers.received(hanging).size(), lessThan(9));
    }
}
