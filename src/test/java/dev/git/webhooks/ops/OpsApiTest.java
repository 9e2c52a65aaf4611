package dev.git.webhooks.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.git.webhooks.testing.Errors.assertError;
import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class OpsApiTest {

    private Api.Owner owner;
    private String path;
    private String webhook;

    @BeforeEach
    void endpointThatAccepts() {
        owner = Api.newOwner();
        path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("X-Receiver", "wiremock").withBody("thanks")));
        webhook = Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*")));
    }

    @Test
    void listsAnEndpointsDeliveriesWithFilters() {
        String before = Instant.now().minusSeconds(1).toString();
        publish("repo.push");
        publish("repo.push");
        publish("deploy.success");
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(Map.of("status", "delivered")).size() == 3);

        assertThat(deliveries(Map.of("event", "repo.push")), hasSize(2));
        assertThat(deliveries(Map.of("event", "deploy.success")), hasSize(1));
        assertThat(deliveries(Map.of("status", "failed")), hasSize(0));
        assertThat(deliveries(Map.of("since", before)), hasSize(3));
        assertThat(deliveries(Map.of("since", Instant.now().plusSeconds(60).toString())), hasSize(0));
        assertThat(deliveries(Map.of("until", before)), hasSize(0));
        Response page = owner.request().queryParam("limit", 2).get("/v2/webhooks/" + webhook + "/deliveries");
        page.then().statusCode(200).body(Json.at("data", hasSize(2)))
                .body(Json.at("pagination.has_more", equalTo(true)))
                .body(Json.at("data[0].id", startsWith("dlv_"))).body(Json.at("data[0].webhook_id", equalTo(webhook)))
                .body(Json.at("data[0].status", equalTo("delivered")));
        owner.request().queryParam("cursor", Json.<String>at(page, "pagination.next_cursor"))
                .get("/v2/webhooks/" + webhook + "/deliveries").then().statusCode(200)
                .body(Json.at("data", hasSize(1)));

        assertInvalid(owner.request().queryParam("status", "lost").get("/v2/webhooks/" + webhook + "/deliveries"),
                "status");
        assertInvalid(owner.request().queryParam("since", "yesterday").get("/v2/webhooks/" + webhook
                + "/deliveries"), "since");
        assertInvalid(owner.request().queryParam("event", "repo.pull").get("/v2/webhooks/" + webhook
                + "/deliveries"), "event");
    }

    @Test
    void showsADeliveryWithEveryAttempt() {
        String event = publish("pr.merged");
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(Map.of("status", "delivered")).size() == 1);
        String id = deliveries(Map.of()).get(0);
        owner.request().get("/v2/deliveries/" + id).then().statusCode(200)
                .body(Json.at("id", equalTo(id))).body(Json.at("event_id", equalTo(event)))
                .body(Json.at("event_type", equalTo("pr.merged")))
                .body(Json.at("attempts", equalTo(1)))
                .body(Json.at("attempt_log", hasSize(1)))
                .body(Json.at("attempt_log[0].attempt", equalTo(1)))
                .body(Json.at("attempt_log[0].response_status", equalTo(200)))
                .body(Json.at("attempt_log[0].response_body", equalTo("thanks")))
                .body(Json.at("attempt_log[0].response_headers.x-receiver", equalTo("wiremock")))
                .body(Json.at("attempt_log[0].request_headers.X-Webhook-Delivery", equalTo(id)))
                .body(Json.at("attempt_log[0].request_headers.X-Signature-256", startsWith("sha256=")))
                .body(Json.at("attempt_log[0].duration_ms", notNullValue()))
                .body(Json.at("attempt_log[0].started_at", notNullValue()))
                .body(not(containsString("whsec_")));
        com.github.tomakehurst.wiremock.verification.LoggedRequest received = Receivers.received(path).get(0);
        for (String header : List.of("X-Signature-256", "webhook-signature", "webhook-timestamp", "webhook-id",
                "User-Agent", "X-Webhook-Event")) {
            owner.request().get("/v2/deliveries/" + id).then()
                    .body("attempt_log[0].request_headers." + header, equalTo(received.getHeader(header)));
        }
    }

    @Test
    void showsAnEventWithItsDeliveries() {
        String event = publish("deploy.failed");
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(Map.of("status", "delivered")).size() == 1);
        owner.request().get("/v2/events/" + event).then().statusCode(200)
                .body(Json.at("id", equalTo(event))).body(Json.at("type", equalTo("deploy.failed")))
                .body(Json.at("owner", equalTo(owner.name()))).body(Json.at("payload.data.n", equalTo(1)))
                .body(Json.at("deliveries", hasSize(1))).body(Json.at("deliveries[0].webhook_id", equalTo(webhook)));
    }

    @Test
    void redeliversAsANewLinkedDelivery() {
        String event = publish("repo.push");
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(Map.of("status", "delivered")).size() == 1);
        String original = deliveries(Map.of()).get(0);
        Response again = owner.request().post("/v2/deliveries/" + original + "/redeliver");
        again.then().statusCode(202).body(Json.at("id", startsWith("dlv_")))
                .body(Json.at("redelivery_of", equalTo(original)))
                .body(Json.at("event_id", equalTo(event)));
        String copy = Json.at(again, "id");
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 2);
        assertThat(Receivers.received(path).get(1).getHeader("webhook-id"), equalTo(event));
        assertThat(Receivers.received(path).get(1).getHeader("X-Webhook-Delivery"), equalTo(copy));
        assertThat(Receivers.received(path).get(1).getBody(), equalTo(Receivers.received(path).get(0).getBody()));
        await().atMost(Duration.ofSeconds(5)).until(() -> "delivered".equals(owner.request()
                .get("/v2/deliveries/" + copy).path("status")));
    }

    @Test
    void replaysInTheBackgroundAndCountsOnADryRun() {
        for (int i = 0; i < 5; i++) {
            publish("repo.push");
        }
        publish("deploy.success");
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(Map.of("status", "delivered")).size() == 6);

        owner.request().body(Map.of("status", "delivered", "events", List.of("repo.push"), "dry_run", true))
                .post("/v2/webhooks/" + webhook + "/replay").then().statusCode(202)
                .body(Json.at("id", startsWith("rpl_"))).body(Json.at("state", equalTo("completed")))
                .body(Json.at("total", equalTo(5)))
                .body(Json.at("processed", equalTo(0))).body(Json.at("dry_run", equalTo(true)));
        assertThat(Receivers.received(path), hasSize(6));

        Response replay = owner.request().body(Map.of("status", "delivered", "events", List.of("repo.push")))
                .post("/v2/webhooks/" + webhook + "/replay");
        replay.then().statusCode(202).body(Json.at("total", equalTo(5)))
                .body(Json.at("filter.status", equalTo("delivered")));
        String id = Json.at(replay, "id");
        await().atMost(Duration.ofSeconds(15)).until(() -> "completed".equals(owner.request()
                .get("/v2/replays/" + id).path("state")));
        owner.request().get("/v2/replays/" + id).then().body(Json.at("processed", equalTo(5))).body(Json.at("progress",
                equalTo(1.0f)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 11);
        assertInvalid(owner.request().body(Map.of("status", "lost")).post("/v2/webhooks/" + webhook + "/replay"),
                "status");
        assertInvalid(owner.request().body(Map.of("color", "red")).post("/v2/webhooks/" + webhook + "/replay"),
                "color");
    }

    @Test
    void enablingAnAutoDisabledEndpointReplaysWhatFailed() {
        String gone = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(gone)).willReturn(aResponse().withStatus(410)));
        String disabled = Api.createWebhook(owner, Map.of("url", Receivers.url(gone), "events",
                List.of("deploy.failed")));
        String event = publish("deploy.failed");
        await().atMost(Duration.ofSeconds(10)).until(() -> "auto_disabled".equals(owner.request()
                .get("/v2/webhooks/" + disabled).path("status")));
        owner.request().post("/v2/webhooks/" + disabled + "/ping").then().statusCode(409);

        Receivers.server().stubFor(post(urlEqualTo(gone)).willReturn(aResponse().withStatus(200)));
        owner.request().body(Map.of("replay_failed", true)).post("/v2/webhooks/" + disabled + "/enable")
                .then().statusCode(200).body(Json.at("webhook.status", equalTo("enabled")))
                .body(Json.at("webhook.disabled_reason", equalTo(null))).body(Json.at("replay.total", equalTo(1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(gone).size() == 2);
        assertThat(Receivers.received(gone).get(1).getHeader("webhook-id"), equalTo(event));
    }

    @Test
    void scopesAreEnforced() {
        String readOnly = Api.newKey(owner.name(), List.of("webhooks:read"), "pro");
        assertError(Api.as(readOnly).get("/v2/webhooks/" + webhook + "/deliveries"), 403, "insufficient_scope");
        String reader = Api.newKey(owner.name(), List.of("deliveries:read", "webhooks:write"), "pro");
        Api.as(reader).get("/v2/webhooks/" + webhook + "/deliveries").then().statusCode(200);
        assertError(Api.as(reader).body(Map.of()).post("/v2/webhooks/" + webhook + "/replay"), 403,
                "insufficient_scope");
        assertError(Api.as(reader).post("/v2/deliveries/dlv_x/redeliver"), 403, "insufficient_scope");
        assertError(Api.as(reader).body(Map.of("replay_failed", true)).post("/v2/webhooks/" + webhook + "/enable"),
                403, "insufficient_scope");
    }

    @Test
    void anotherOwnerSeesNothing() {
        String event = publish("repo.push");
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(Map.of("status", "delivered")).size() == 1);
        String delivery = deliveries(Map.of()).get(0);
        String replay = owner.request().body(Map.of("dry_run", true)).post("/v2/webhooks/" + webhook + "/replay")
                .path("id");
        Api.Owner stranger = Api.newOwner();
        assertError(stranger.request().get("/v2/webhooks/" + webhook + "/deliveries"), 404, "not_found");
        assertError(stranger.request().get("/v2/deliveries/" + delivery), 404, "not_found");
        assertError(stranger.request().post("/v2/deliveries/" + delivery + "/redeliver"), 404, "not_found");
        assertError(stranger.request().get("/v2/events/" + event), 404, "not_found");
        assertError(stranger.request().get("/v2/replays/" + replay), 404, "not_found");
        assertError(stranger.request().body(Map.of()).post("/v2/webhooks/" + webhook + "/replay"), 404,
                "not_found");
        assertError(stranger.request().body(Map.of()).post("/v2/webhooks/" + webhook + "/enable"), 404, "not_found");
        assertThat(Receivers.received(path), hasSize(1));
    }

    private String publish(String type) {
        String id = Kafka.newEventId();
        Kafka.publish(type, owner.name(), Kafka.event(type, id, owner.name(), null));
        return id;
    }

    private List<String> deliveries(Map<String, String> filter) {
        return owner.request().queryParams(filter).queryParam("limit", 100)
                .get("/v2/webhooks/" + webhook + "/deliveries").then().statusCode(200)
                .extract().as(Json.Doc.class).at("data.id");
    }
}
