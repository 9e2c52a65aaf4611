package dev.git.webhooks.operational;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.subscription.EventTypes;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.verify.WebhookVerificationException;
import dev.git.webhooks.verify.WebhookVerifier;
import io.quarkus.test.junit.QuarkusTest;

/** endpoint.disabled, endpoint.enabled and delivery.exhausted reach the endpoints that subscribed to them, signed. */
@QuarkusTest
class OperationalNotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anOwnerIsToldWhenAnEndpointIsDisabledEnabledOrADeliveryIsExhausted() throws Exception {
        Api.Owner acme = Api.newOwner();
        String alerts = Receivers.newPath();
        Receivers.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(alerts)).willReturn(aResponse()
                .withStatus(200)));
        String secret = acme.request().body(Map.of("url", Receivers.url(alerts), "events",
                List.of("endpoint.disabled", "endpoint.enabled", "delivery.exhausted"))).post("/v2/webhooks").then()
                .statusCode(201).extract().as(Json.Doc.class).at("secret");
        Api.Hook everything = Api.hook(acme, aResponse().withStatus(200));
        Api.Hook gone = Api.hook(acme, aResponse().withStatus(410));
        String failing = Receivers.newPath();
        Receivers.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(failing)).willReturn(aResponse()
                .withStatus(500)));
        String failingHook = Api.createWebhook(acme, Map.of("url", Receivers.url(failing), "events",
                List.of("deploy.failed")));

        Kafka.publish("repo.push", acme.name(), Kafka.event("repo.push", Kafka.newEventId(), acme.name(), null));
        JsonNode disabled = await().atMost(Duration.ofSeconds(15)).until(() -> notice(alerts, "endpoint.disabled"),
                Optional::isPresent).orElseThrow();
        assertThat(disabled.at("/owner").asText(), equalTo(acme.name()));
        assertThat(disabled.at("/data/webhook_id").asText(), equalTo(gone.id()));
        assertThat(disabled.at("/data/reason").asText(), equalTo("gone"));
        assertThat(disabled.at("/id").asText(), startsWith("evt_"));

        String event = Kafka.newEventId();
        Kafka.publish("deploy.failed", acme.name(), Kafka.event("deploy.failed", event, acme.name(), null));
        JsonNode exhausted = await().atMost(Duration.ofSeconds(20)).until(() -> notices(alerts,
                "delivery.exhausted").stream().filter(n -> event.equals(n.at("/data/event_id").asText()))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(exhausted.at("/data/webhook_id").asText(), equalTo(failingHook));
        assertThat(exhausted.at("/data/attempts").asInt(), equalTo(4));
        assertThat(exhausted.at("/data/last_status").asInt(), equalTo(500));

        acme.request().body(Map.of()).post("/v2/webhooks/" + gone.id() + "/enable").then().statusCode(200);
        JsonNode enabled = await().atMost(Duration.ofSeconds(10)).until(() -> notice(alerts, "endpoint.enabled"),
                Optional::isPresent).orElseThrow();
        assertThat(enabled.at("/data/webhook_id").asText(), equalTo(gone.id()));
        assertThat(enabled.at("/data/status").asText(), equalTo("enabled"));

        LoggedRequest signed = Receivers.received(alerts).stream()
                .filter(r -> "endpoint.disabled".equals(r.getHeader("X-Webhook-Event"))).findFirst().orElseThrow();
        assertThat(signed.getHeader("X-Webhook-Event"), equalTo("endpoint.disabled"));
        for (LoggedRequest notification : Receivers.received(alerts)) {
            verifiesBothSignatures(notification, secret);
        }
        assertThat("the wildcard means the platform types only", Receivers.received(everything.path()).stream()
                .map(r -> r.getHeader("X-Webhook-Event")).filter(EventTypes::isSystem).toList(), hasSize(0));
        assertThat(notices(alerts, "delivery.exhausted").stream()
                .filter(n -> event.equals(n.at("/data/event_id").asText())).toList(), hasSize(1));
    }

    /** Both signatures, checked by the verifier that receivers use, with the secret the endpoint was given. */
    private static void verifiesBothSignatures(LoggedRequest request, String secret) {
        byte[] body = request.getBody();
        WebhookVerifier verifier = WebhookVerifier.of(secret).withTolerance(Duration.ofHours(1));
        assertDoesNotThrow(() -> verifier.verifyGithub(body, request.getHeader("X-Signature-256")),
                "X-Signature-256 of " + request.getHeader("X-Webhook-Event"));
        assertDoesNotThrow(() -> verifier.verifyStandard(body, request.getHeader("webhook-id"),
                request.getHeader("webhook-timestamp"), request.getHeader("webhook-signature")),
                "webhook-signature of " + request.getHeader("X-Webhook-Event"));
        WebhookVerifier another = WebhookVerifier.of("whsec_" + Base64.getEncoder().encodeToString(
                "not the endpoint's secret, 32 b".getBytes(StandardCharsets.UTF_8))).withTolerance(Duration.ofHours(1));
        assertThrows(WebhookVerificationException.class, () -> another.verify(body, headers(request)),
                "another secret does not verify");
    }

    private static Map<String, String> headers(LoggedRequest request) {
        Map<String, String> headers = new HashMap<>();
        request.getHeaders().all().forEach(h -> headers.put(h.key(), h.firstValue()));
        return headers;
    }

    private static Optional<JsonNode> notice(String path, String type) {
        return notices(path, type).stream().findFirst();
    }

    private static List<JsonNode> notices(String path, String type) {
        return Receivers.received(path).stream().filter(r -> type.equals(r.getHeader("X-Webhook-Event")))
                .map(r -> {
                    try {
                        return JSON.readTree(r.getBodyAsString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }
}
