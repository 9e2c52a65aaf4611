package dev.git.webhooks.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayContaining;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.Signing;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

@QuarkusTest
class DeliveryPipelineTest {

    @Inject
    DeliveryConfig config;

    private Api.Owner owner;

    @BeforeEach
    void newOwner() {
        owner = Api.newOwner();
    }

    @Test
    void deliversEachEventTypeOnceSignedAsTheContractSays() {
        String path = Receivers.newPath();
        stubOk(path);
        Response created = owner.request().body(Map.of("url", Receivers.url(path), "events", List.of("*")))
                .post("/v2/webhooks");
        String secret = Json.at(created, "secret");
        for (String type : List.of("repo.push", "deploy.success", "deploy.failed", "pr.merged")) {
            String id = Kafka.newEventId();
            byte[] body = Kafka.event(type, id, owner.name(), owner.name() + "/api").getBytes(StandardCharsets.UTF_8);
            Kafka.publish(type, owner.name(), body);
            LoggedRequest request = awaitOne(path, id);
            assertThat(request.getBody(), equalTo(body));
            assertThat(request.getHeader("Content-Type"), equalTo("application/json"));
            assertThat(request.getHeader("User-Agent"), matchesPattern("git\\.dev-Webhooks/\\d+\\.\\d+\\.\\d+"));
            assertThat(request.getHeader("X-Webhook-Event"), equalTo(type));
            assertThat(request.getHeader("X-Webhook-Delivery"), startsWith("dlv_"));
            assertThat(request.getHeader("X-Webhook-Attempt"), equalTo("1"));
            String timestamp = request.getHeader("webhook-timestamp");
            assertThat(Math.abs(Long.parseLong(timestamp) - Instant.now().getEpochSecond()),
                    lessThanOrEqualTo(30L));
            assertThat(request.getHeader("X-Signature-256"), equalTo(Signing.github(secret, body)));
            assertThat(request.getHeader("webhook-signature"), equalTo(Signing.standard(secret, id, timestamp, body)));
        }
        assertThat(Receivers.received(path), hasSize(4));
    }

    @Test
    void deliversTheProducersBytesUntouched() {
        String path = endpoint(List.of("repo.push"));
        String id = Kafka.newEventId();
        String odd = "{ \"data\" : {\"msg\":\"caf\\u00e9 \u2603 \\\"q\\\"\", \"n\": 1.50e2, \"z\":[]},\n"
                + "  \"owner\":\"" + owner.name() + "\", \"id\":\"" + id + "\", \"event\":\"repo.push\","
                + " \"timestamp\":\"2025-01-20T14:35:22.123+02:00\" }\n";
        byte[] body = odd.getBytes(StandardCharsets.UTF_8);
        Kafka.publish("repo.push", owner.name(), body);
        assertThat(awaitOne(path, id).getBody(), equalTo(body));
    }

    @Test
    void retriesAfter500ThenDelivers() {
        String path = Receivers.newPath();
        Receivers.firstThen(path, aResponse().withStatus(500).withBody("oops"), aResponse().withStatus(204));
        createEndpoint(path, List.of("*"));
        String id = publish("deploy.failed");
        await().atMost(Duration.ofSeconds(15)).until(() -> delivery(id).get("status").equals("delivered"));
        List<LoggedRequest> requests = Receivers.received(path);
        assertThat(requests, hasSize(2));
        assertThat(requests.get(1).getHeader("X-Webhook-Attempt"), equalTo("2"));
        assertThat(requests.get(1).getHeader("X-Webhook-Delivery"),
                equalTo(requests.get(0).getHeader("X-Webhook-Delivery")));
        // the first delay of the schedule (no jitter in tests), less WireMock's and the clock's few milliseconds
        assertThat(requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime(),
                greaterThanOrEqualTo(config.retrySchedule().get(0).toMillis() - 50));
        owner.request().get("/v2/deliveries/" + delivery(id).get("id")).then().statusCode(200)
                .body(Json.at("attempt_log", hasSize(2)))
                .body(Json.at("attempt_log[0].attempt", equalTo(1)))
                .body(Json.at("attempt_log[0].response_status", equalTo(500)))
                .body(Json.at("attempt_log[0].response_body", equalTo("oops")))
                .body(Json.at("attempt_log[1].attempt", equalTo(2)))
                .body(Json.at("attempt_log[1].response_status", equalTo(204)))
                .body(Json.at("attempt_log[1].request_headers.X-Webhook-Attempt", equalTo("2")));
    }

    @Test
    void retriesAfterATimeout() {
        String path = Receivers.newPath();
        Receivers.firstThen(path, aResponse().withStatus(200).withFixedDelay(4_000), aResponse().withStatus(200));
        createEndpoint(path, List.of("*"));
        String id = publish("repo.push");
        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(id).get("status").equals("delivered"));
        Response details = owner.request().get("/v2/deliveries/" + delivery(id).get("id"));
        details.then().statusCode(200).body(Json.at("attempt_log", hasSize(2)))
                .body(Json.at("attempt_log[0].error_class", equalTo("timeout")))
                .body(Json.at("attempt_log[1].response_status", equalTo(200)));
        assertThat(Json.<Integer>at(details, "attempt_log[0].duration_ms"), lessThanOrEqualTo(3_000));
    }

    @Test
    void goneDisablesTheEndpointAndStopsItsRetries() {
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(410));
        String id = publish("pr.merged");
        await().atMost(Duration.ofSeconds(10)).until(() -> delivery(id).get("status").equals("failed"));
        owner.request().get("/v2/webhooks/" + hook.id()).then().statusCode(200)
                .body(Json.at("status", equalTo("auto_disabled"))).body(Json.at("disabled_reason", equalTo("gone")));
        String later = publish("pr.merged");
        await().atMost(Duration.ofSeconds(5)).until(() -> !Db.query("select id from event where id = ?", later)
                .isEmpty());
        assertThat(Db.query("select id from delivery where event_id = ?", later), hasSize(0));
        // nothing left to send it (its one delivery failed for good, the later event made none): no wait needed
        assertThat(Db.query("select id from delivery where endpoint_id = ? and status = 'pending'", hook.id()),
                hasSize(0));
        assertThat(Receivers.received(hook.path()), hasSize(1));
    }

    @Test
    void honoursRetryAfterOn429() {
        String path = Receivers.newPath();
        Receivers.firstThen(path, aResponse().withStatus(429).withHeader("Retry-After", "3"),
                aResponse().withStatus(200));
        createEndpoint(path, List.of("*"));
        String id = publish("deploy.success");
        await().atMost(Duration.ofSeconds(15)).until(() -> delivery(id).get("status").equals("delivered"));
        List<LoggedRequest> requests = Receivers.received(path);
        assertThat(requests, hasSize(2));
        long gap = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        assertThat("the schedule says 1 s, Retry-After says 3 s", gap, greaterThanOrEqualTo(2_900L));
    }

    @Test
    void honoursRetryAfterOn503UpToItsCap() {
        String path = Receivers.newPath();
        Receivers.firstThen(path, aResponse().withStatus(503).withHeader("Retry-After", "3600"),
                aResponse().withStatus(200));
        createEndpoint(path, List.of("*"));
        String id = publish("deploy.success");
        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(id).get("status").equals("delivered"));
        List<LoggedRequest> requests = Receivers.received(path);
        assertThat(requests, hasSize(2));
        long gap = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        assertThat("an hour asked, capped at webhooks.delivery.retry-after-cap (5 s in tests)", gap,
                allOf(greaterThanOrEqualTo(4_900L), lessThanOrEqualTo(11_000L)));
    }

    @Test
    void failsAfterTheLastAttempt() {
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(503)));
        createEndpoint(path, List.of("*"));
        String id = publish("repo.push");
        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(id).get("status").equals("failed"));
        assertThat(Receivers.received(path), hasSize(4));
        assertThat(delivery(id).get("attempts"), equalTo(4));
        assertThat(delivery(id).get("last_error"), equalTo("http_status (HTTP 503)"));
    }

    @Test
    void doesNotFollowRedirects() {
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", Receivers.url(path + "/elsewhere"))));
        createEndpoint(path, List.of("*"));
        String id = publish("repo.push");
        await().atMost(Duration.ofSeconds(10)).until(() -> ((Integer) delivery(id).get("attempts")) >= 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1))
                .until(() -> Receivers.received(path + "/elsewhere").isEmpty());
        // pending, or failed already after the tests' three 500 ms retries on a slow host: never delivered
        assertThat(delivery(id).get("status"), org.hamcrest.Matchers.oneOf("pending", "failed"));
        assertThat(Db.query("select distinct error_class from delivery_attempt where delivery_id = ?",
                delivery(id).get("id")).stream().map(r -> r.get("error_class")).toList(), equalTo(List.of("redirect")));
    }

    @Test
    void deliversTheSameEventIdOnce() {
        String path = endpoint(List.of("*"));
        String id = Kafka.newEventId();
        String body = Kafka.event("repo.push", id, owner.name(), null);
        Kafka.publish("repo.push", owner.name(), body);
        Kafka.publish("repo.push", owner.name(), body);
        awaitOne(path, id);
        String second = publish("repo.push");
        awaitOne(path, second);
        assertThat(Db.query("select id from delivery where event_id = ?", id), hasSize(1));
        assertThat(Receivers.received(path), hasSize(2));
    }

    @Test
    void signsGithubStyleWithTheNewestSecretAndStandardWithBothDuringARotation() {
        String path = Receivers.newPath();
        stubOk(path);
        Response created = owner.request().body(Map.of("url", Receivers.url(path), "events", List.of("*")))
                .post("/v2/webhooks");
        String old = Json.at(created, "secret");
        String fresh = owner.request().body(Map.of("grace_period_seconds", 600))
                .post("/v2/webhooks/" + Json.at(created, "id") + "/rotate-secret").then().statusCode(200)
                .extract().as(Json.Doc.class).at("secret");
        String id = publish("deploy.success");
        LoggedRequest request = awaitOne(path, id);
        byte[] body = request.getBody();
        String timestamp = request.getHeader("webhook-timestamp");
        assertThat("exactly one value, the newest secret's", request.getHeader("X-Signature-256"),
                equalTo(Signing.github(fresh, body)));
        assertThat(request.getHeader("webhook-signature").split(" "),
                arrayContaining(Signing.standard(fresh, id, timestamp, body), Signing.standard(old, id, timestamp,
                        body)));
    }

    @Test
    void sendsOnlyWhatTheEndpointSubscribedTo() {
        String path = Receivers.newPath();
        stubOk(path);
        owner.request().body(Map.of("url", Receivers.url(path), "events", List.of("deploy.failed"),
                "repos", List.of(owner.name() + "/web"))).post("/v2/webhooks").then().statusCode(201);
        String wrongType = Kafka.newEventId();
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", wrongType, owner.name(), owner.name()
                + "/web"));
        String wrongRepo = Kafka.newEventId();
        Kafka.publish("deploy.failed", owner.name(), Kafka.event("deploy.failed", wrongRepo, owner.name(),
                owner.name() + "/api"));
        String otherOwner = Kafka.newEventId();
        Kafka.publish("deploy.failed", "someone", Kafka.event("deploy.failed", otherOwner, "someone-else",
                "someone-else/web"));
        String wanted = Kafka.newEventId();
        Kafka.publish("deploy.failed", owner.name(), Kafka.event("deploy.failed", wanted, owner.name(),
                owner.name() + "/web"));
        awaitOne(path, wanted);
        assertThat(Receivers.received(path), hasSize(1));
    }

    @Test
    void inactiveEndpointsReceiveNothing() {
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        owner.request().body(Map.of("active", false)).patch("/v2/webhooks/" + hook.id()).then().statusCode(200);
        String id = publish("repo.push");
        await().atMost(Duration.ofSeconds(5)).until(() -> !Db.query("select id from event where id = ?", id)
                .isEmpty());
        // stored with its deliveries in one transaction: none was made for the inactive endpoint, so none can come
        assertThat(Db.query("select id from delivery where endpoint_id = ?", hook.id()), hasSize(0));
        assertThat(Receivers.received(hook.path()), hasSize(0));
    }

    @Test
    void refusesAnAddressThatBecamePrivateAtConnectTime() {
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        // As if DNS now pointed the endpoint's name at a private network.
        Db.update("update webhook_endpoint set url = ? where id = ?", "http://10.20.30.40:8080/x", hook.id());
        String id = publish("repo.push");
        await().atMost(Duration.ofSeconds(10)).until(() -> ((Integer) delivery(id).get("attempts")) >= 1);
        assertThat(Db.query("select error_class, error_message from delivery_attempt where delivery_id = ?",
                delivery(id).get("id")).get(0).get("error_class"), equalTo("destination_refused"));
    }

    @Test
    void pingsAnEndpointOnDemand() {
        String path = Receivers.newPath();
        stubOk(path);
        Response created = owner.request().body(Map.of("url", Receivers.url(path), "events", List.of("repo.push")))
                .post("/v2/webhooks");
        Response ping = owner.request().post("/v2/webhooks/" + Json.at(created, "id") + "/ping");
        ping.then().statusCode(202).body(Json.at("delivery_id", startsWith("dlv_")))
                .body(Json.at("event_id", startsWith("evt_")));
        await().atMost(Duration.ofSeconds(5)).until(() -> Receivers.received(path).size() == 1);
        LoggedRequest request = Receivers.received(path).get(0);
        assertThat(request.getHeader("X-Webhook-Event"), equalTo("ping"));
        assertThat(request.getHeader("X-Webhook-Delivery"), equalTo(Json.at(ping, "delivery_id")));
        assertThat(request.getBodyAsString(), matchesPattern(".*\"event\":\"ping\".*"));
        assertThat(request.getHeader("X-Signature-256"),
                equalTo(Signing.github(Json.at(created, "secret"), request.getBody())));
        Api.Owner stranger = Api.newOwner();
        stranger.request().post("/v2/webhooks/" + Json.at(created, "id") + "/ping").then().statusCode(404);
    }

    private String endpoint(List<String> events) {
        String path = Receivers.newPath();
        stubOk(path);
        createEndpoint(path, events);
        return path;
    }

    private String createEndpoint(String path, List<String> events) {
        return Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", events));
    }

    private String publish(String type) {
        String id = Kafka.newEventId();
        Kafka.publish(type, owner.name(), Kafka.event(type, id, owner.name(), null));
        return id;
    }

    static void stubOk(String path) {
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
    }

    static LoggedRequest awaitOne(String path, String eventId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).stream()
                .anyMatch(r -> eventId.equals(r.getHeader("webhook-id"))));
        List<LoggedRequest> matching = Receivers.received(path).stream()
                .filter(r -> eventId.equals(r.getHeader("webhook-id"))).toList();
        assertThat(matching, hasSize(1));
        return matching.get(0);
    }

    static Map<String, Object> delivery(String eventId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !Db.query("select id from delivery where event_id = ?",
                eventId).isEmpty());
        return Db.query("select * from delivery where event_id = ?", eventId).get(0);
    }
}
