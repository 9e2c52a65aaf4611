package dev.git.webhooks.subscription.address;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Attempts;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.ScriptedResolver;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** What happens at connect time when the name of an endpoint resolves differently, or not at all. */
@QuarkusTest
class DestinationsAtConnectTest {

    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(2); // webhooks.delivery.dns-timeout (default)

    private final ScriptedResolver resolver = new ScriptedResolver();
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeEach
    void installResolver() {
        QuarkusMock.installMockForType(resolver, HostResolver.class);
    }

    @AfterEach
    void releaseResolver() {
        resolver.release();
        cleanup.forEach(Runnable::run);
    }

    @Test
    void connectsToTheVettedAddressAndSendsTheNameAsHost() {
        resolver.answer("pinned.example.test", "127.0.0.1");
        Api.Owner owner = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(path)
                .willReturn(aResponse().withStatus(204)));
        String url = "http://pinned.example.test:" + Receivers.server().port() + path;
        hook(owner, url);
        publish(owner);
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 1);
        assertThat(Receivers.received(path).get(0).getHeader("Host"),
                equalTo("pinned.example.test:" + Receivers.server().port()));
    }

    @Test
    void aNameReboundToARefusedAddressIsRefusedAtConnectWithoutAConnection() {
        // Public-looking at create (loopback is allowed in tests), then one of its addresses is the metadata service.
        resolver.answers("rebind.example.test", List.of("127.0.0.1"), List.of("127.0.0.1", "169.254.169.254"));
        Api.Owner owner = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(path)
                .willReturn(aResponse().withStatus(200)));
        String id = hook(owner, "http://rebind.example.test:" + Receivers.server().port() + path);
        publish(owner);
        Map<String, Object> attempt = Attempts.ofNewestDelivery(owner, id).get(0);
        assertThat(attempt.get("error_class"), equalTo("destination_refused"));
        assertThat((String) attempt.get("error_message"), containsString("rebind.example.test"));
        assertThat("the name, not the address it resolves to inside the network",
                (String) attempt.get("error_message"), org.hamcrest.Matchers.not(containsString("169.254.169.254")));
        assertThat((String) attempt.get("error_message"), containsString("cloud_metadata"));
        assertThat("no request reached the endpoint", Receivers.received(path), empty());
        assertThat("resolved at create and again at connect", resolver.calls("rebind.example.test"),
                greaterThanOrEqualTo(2));
    }

    @Test
    void aNameThatResolvesToARefusedAddressIsRefusedAtCreate() {
        resolver.answer("internal.example.test", "127.0.0.1", "10.1.2.3");
        Api.Owner owner = Api.newOwner();
        owner.request().body(Map.of("url", "http://internal.example.test/x", "events", List.of("*")))
                .post("/v2/webhooks").then().statusCode(400)
                .body(Json.at("error.details.fields[0].field", equalTo("url")))
                .body(Json.at("error.details.fields[0].message", containsString("private address")))
                .body(Json.at("error.details.fields[0].message", containsString("internal.example.test")))
                .body(Json.at("error.details.fields[0].message", org.hamcrest.Matchers.not(containsString("10.1.2"))));
    }

    @Test
    void aHangingResolverForOneEndpointDoesNotDelayAnother() {
        resolver.hang("hang.example.test").answer("fine.example.test", "127.0.0.1");
        Api.Owner stuck = Api.newOwner();
        String stuckId = hook(stuck, "http://hang.example.test:" + Receivers.server().port() + "/never");
        Api.Owner healthy = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(path)
                .willReturn(aResponse().withStatus(200)));
        hook(healthy, "http://fine.example.test:" + Receivers.server().port() + path);

        // The stuck endpoint's deliveries first: more than the delivery workers, each waiting on DNS.
        for (int i = 0; i < 50; i++) {
            send(stuck);
        }
        for (int i = 0; i < 20; i++) {
            send(healthy);
        }
        Kafka.producer().flush();
        long published = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 20);
        List<LoggedRequest> delivered = Receivers.received(path);
        long last = delivered.get(delivered.size() - 1).getLoggedDate().getTime();
        System.out.printf("healthy endpoint had all 20 deliveries %d ms after publishing, while the other "
                + "endpoint's name hung%n", last - published);
        assertThat("the healthy endpoint never waited for the hanging lookup to time out", last - published,
                lessThan(DNS_TIMEOUT.toMillis()));

        List<Map<String, Object>> attempts = Attempts.ofAnAttemptedDelivery(stuck, stuckId);
        assertThat(attempts.stream().map(a -> a.get("error_class")).toList(), everyItem(equalTo("dns_timeout")));
        assertThat("one lookup of the hanging name, however many deliveries wait for it",
                resolver.calls("hang.example.test"), equalTo(1));
    }

    private String hook(Api.Owner owner, String url) {
        String id = Api.createWebhook(owner, Map.of("url", url, "events", List.of("*")));
        cleanup.add(() -> owner.request().delete("/v2/webhooks/" + id));
        return id;
    }

    private static void publish(Api.Owner owner) {
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null));
    }

    private static void send(Api.Owner owner) {
        Kafka.producer().send(new ProducerRecord<>("repo.push", owner.name().getBytes(StandardCharsets.UTF_8),
                Kafka.event("repo.push", Kafka.newEventId(), owner.name(), null).getBytes(StandardCharsets.UTF_8)));
    }
}
