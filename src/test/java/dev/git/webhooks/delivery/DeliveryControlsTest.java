package dev.git.webhooks.delivery;

import static dev.git.webhooks.testing.Errors.assertInvalid;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.CountingReceiver;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The controls an endpoint's owner sets on it (SPEC §12): headers, filter, rate limit, and their checks. */
@QuarkusTest
class DeliveryControlsTest {

    @jakarta.inject.Inject
    EndpointHeldBack heldBack;

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    private Api.Owner owner;

    @BeforeEach
    void newOwner() {
        owner = Api.newOwner();
    }

    @Test
    void staticHeadersArriveWithEveryAttemptAndASecretOneIsNeitherShownNorLogged() {
        String path = Receivers.newPath();
        Receivers.firstThen(path, aResponse().withStatus(500), aResponse().withStatus(204));
        Response created = create(path, Map.of("headers", List.of(
                Map.of("name", "X-Tenant", "value", "acme-prod"),
                Map.of("name", "Authorization", "value", "Bearer s3cr3t", "secret", true))));
        created.then().statusCode(201)
                .body(Json.at("headers[0].name", equalTo("X-Tenant")))
                .body(Json.at("headers[0].value", equalTo("acme-prod")))
                .body(Json.at("headers[1].name", equalTo("Authorization")))
                .body(Json.at("headers[1].value", nullValue()))
                .body(Json.at("headers[1].secret", equalTo(true)));
        String id = publish(owner.name() + "/api", "{\"n\":1}");
        String deliveryId = (String) DeliveryPipelineTest.delivery(id).get("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> "delivered".equals(DeliveryPipelineTest.delivery(id)
                .get("status")));
        List<LoggedRequest> requests = Receivers.received(path);
        assertThat("a failure, then the retry", requests, hasSize(2));
        for (LoggedRequest request : requests) {
            assertThat(request.getHeader("X-Tenant"), equalTo("acme-prod"));
            assertThat(request.getHeader("Authorization"), equalTo("Bearer s3cr3t"));
            assertThat("ours still there", request.getHeader("X-Signature-256"), not(nullValue()));
        }
        Response logged = owner.request().get("/v2/deliveries/" + deliveryId);
        // the failed attempt's log keeps every request header it was sent with
        logged.then().statusCode(200).body(Json.at("attempt_log[0].request_headers.X-Tenant", equalTo("acme-prod")))
                .body(Json.at("attempt_log[0].request_headers.Authorization", equalTo("[redacted]")));
        assertThat("the secret is nowhere in what the API shows", logged.asString(), not(containsString("s3cr3t")));
        assertThat("sealed at rest", Db.query("select headers::text as h from webhook_endpoint where id = ?",
                Json.<String>at(created, "id")).get(0).get("h").toString(), not(containsString("s3cr3t")));
    }

    @Test
    void everyBadValueIsRefusedNamingItsField() {
        String url = Receivers.url(Receivers.newPath());
        for (String reserved : List.of("webhook-id", "X-Webhook-Event", "x-signature-256", "Content-Type",
                "content-length", "Content-MD5", "content-digest", "Digest", "Host", "user-agent", "Proxy-Connection",
                "Via", "Max-Forwards")) {
            Response refused = create(url, Map.of("headers", List.of(Map.of("name", reserved, "value", "x"))));
            assertInvalid(refused, "headers");
            assertThat(reserved, Json.at(refused, "error.details.fields[0].message"),
                    containsString("which the service sets or which frames the request"));
        }
        assertInvalid(create(url, Map.of("headers", List.of(Map.of("name", "Bad Name", "value", "x")))), "headers");
        assertInvalid(create(url, Map.of("headers", List.of(Map.of("name", "X-A", "value", "line\nbreak")))),
                "headers");
        assertInvalid(create(url, Map.of("headers", List.of(Map.of("name", "X-A", "value", "1"),
                Map.of("name", "x-a", "value", "2")))), "headers");
        List<Map<String, Object>> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(Map.of("name", "X-H" + i, "value", "v"));
        }
        assertInvalid(create(url, Map.of("headers", eleven)), "headers");
        assertInvalid(create(url, Map.of("max_concurrency", 0)), "max_concurrency");
        assertInvalid(create(url, Map.of("max_concurrency", 65)), "max_concurrency");
        assertInvalid(create(url, Map.of("rate_limit", 0)), "rate_limit");
        assertInvalid(create(url, Map.of("rate_limit", 10_001)), "rate_limit");
        for (Object ordering : List.<Object>of(Map.of("key", "bogus"), "sometimes",
                Map.of("key", "repo", "also", "owner"), List.of("repo"))) {
            assertInvalid(create(url, Map.of("ordering", ordering)), "ordering");
        }
        assertInvalid(create(url, Map.of("filter", Map.of())), "filter");
        assertInvalid(create(url, Map.of("filter", Map.of("repo", List.of("someone-else/api")))), "filter.repo");
        assertInvalid(create(url, Map.of("filter", Map.of("match", List.of(Map.of("pointer", "data/x",
                "values", List.of("a")))))), "filter.match");
        assertInvalid(create(url, Map.of("filter", Map.of("match", List.of(Map.of("pointer", "/data/x",
                "values", List.of(Map.of("nested", 1))))))), "filter.match");
        Response many = create(url, Map.of("max_concurrency", 100, "rate_limit", -1));
        assertInvalid(many, "max_concurrency");
        assertInvalid(many, "rate_limit");

        String id = create(url, Map.of("max_concurrency", 3, "rate_limit", 20)).then().statusCode(201)
                .body(Json.at("max_concurrency", equalTo(3)))
                .body(Json.at("rate_limit", equalTo(20))).extract().as(Json.Doc.class).at("id");
        assertInvalid(owner.request().body(Map.of("max_concurrency", 0)).patch("/v2/webhooks/" + id),
                "max_concurrency");
        assertInvalid(owner.request().body(Map.of("ordering", Map.of("key", "bogus"))).patch("/v2/webhooks/" + id),
                "ordering");
        assertInvalid(owner.request().body(Map.of("headers", List.of(Map.of("name", "Host", "value", "x"))))
                .patch("/v2/webhooks/" + id), "headers");
        assertInvalid(owner.request().body(Map.of("filter", Map.of("repo", List.of("someone-else/api"))))
                .patch("/v2/webhooks/" + id), "filter.repo");
        Map<String, Object> clear = new HashMap<>();
        clear.put("max_concurrency", null);
        clear.put("rate_limit", null);
        owner.request().body(clear).patch("/v2/webhooks/" + id).then().statusCode(200)
                .body(Json.at("max_concurrency", nullValue())).body(Json.at("rate_limit", nullValue()));
    }

    @Test
    void aFilterSkipsExactlyTheEventsThatDoNotMatch() {
        String path = Receivers.newPath();
        DeliveryPipelineTest.stubOk(path);
        create(path, Map.of("filter", Map.of("repo", List.of(owner.name() + "/api", owner.name() + "/web"),
                "match", List.of(Map.of("pointer", "/data/environment", "values", List.of("production", 7))))))
                .then().statusCode(201).body(Json.at("filter.repo", hasSize(2)))
                .body(Json.at("filter.match[0].pointer", equalTo("/data/environment")));
        String api = owner.name() + "/api";
        List<String> wanted = List.of(
                publish(api, "{\"environment\":\"production\"}"),
                publish(owner.name() + "/web", "{\"environment\":7.0}"),
                publish(api, "{\"environment\":\"production\",\"more\":[1,2]}"));
        List<String> skipped = List.of(
                publish(api, "{\"environment\":\"staging\"}"),
                publish(owner.name() + "/other", "{\"environment\":\"production\"}"),
                publish(null, "{\"environment\":\"production\"}"),
                publish(api, "{\"env\":\"production\"}"),
                publish(api, "{\"environment\":[\"production\"]}"),
                publish(api, "{\"environment\":1e400}"), // past a double's range: equal to no number, and no stall
                publish(api, "{\"environment\":\"7\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() >= wanted.size());
        for (String id : skipped) { // stored like every other event, with no delivery to this endpoint
            await().atMost(Duration.ofSeconds(10)).until(() -> !Db.query("select id from event where id = ?", id)
                    .isEmpty());
        }
        List<String> received = Receivers.received(path).stream().map(r -> r.getHeader("webhook-id")).toList();
        assertThat(received, containsInAnyOrder(wanted.toArray()));
        for (String id : skipped) {
            assertThat("no delivery made for " + id, Db.query("select id from delivery where event_id = ?", id),
                    hasSize(0));
            owner.request().get("/v2/events/" + id).then().statusCode(200);
        }
        List<String> all = new ArrayList<>(wanted);
        all.addAll(skipped);
        List<String> listed = owner.request().queryParam("limit", 100).get("/v2/events").then().statusCode(200)
                .extract().as(Json.Doc.class).at("data.id");
        assertThat("GET /v2/events lists every event, the skipped ones too", listed,
                containsInAnyOrder(all.toArray()));
        assertThat("newest first", listed.get(0), equalTo(skipped.get(skipped.size() - 1)));
        owner.request().queryParam("repo", owner.name() + "/web").get("/v2/events").then().statusCode(200)
                .body(Json.at("data.id", equalTo(List.of(wanted.get(1)))));
        owner.request().queryParam("type", "pr.merged").get("/v2/events").then().statusCode(200)
                .body(Json.at("data", hasSize(0)));
        List<String> paged = owner.request().queryParam("limit", 4).get("/v2/events").then().statusCode(200)
                .body(Json.at("pagination.has_more", equalTo(true))).extract().as(Json.Doc.class).at("data.id");
        assertThat(paged, equalTo(listed.subList(0, 4)));
        Response bad = owner.request().queryParam("repo", "no-slash").queryParam("type", "nope")
                .queryParam("since", "yesterday").get("/v2/events");
        assertInvalid(bad, "repo");
        assertInvalid(bad, "type");
        assertInvalid(bad, "since");
        Api.Owner stranger = Api.newOwner();
        stranger.request().get("/v2/events").then().statusCode(200).body(Json.at("data", hasSize(0)));
    }

    /**
     * {@code rate_limit: 50}, 1,000 events published at once: received at no more than 50 in any one-second window
     * (with a tolerance of 10 %: WireMock logs a request when it has read it, a few milliseconds after it was sent),
     * and all of them, draining at the rate (not slower than 41 a second on average).
     */
    @Test
    void aRateLimitedEndpointReceivesNoMoreThanItsRateInAnySecondAndEverything() {
        String path = Receivers.newPath();
        DeliveryPipelineTest.stubOk(path);
        String webhook = create(path, Map.of("rate_limit", 50)).then().statusCode(201)
                .extract().as(Json.Doc.class).at("id");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) { // a second's burst, then 19 s at the rate
            String id = Kafka.newEventId();
            ids.add(id);
            Kafka.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>("repo.push",
                    owner.name().getBytes(StandardCharsets.UTF_8),
                    Kafka.event("repo.push", id, owner.name(), null).getBytes(StandardCharsets.UTF_8)));
        }
        Kafka.producer().flush();
        // while it drains, what the rate holds back is in the metric for its owner's lane
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Receivers.received(path).size() >= 60);
        heldBack.refresh();
        io.micrometer.core.instrument.Gauge held = metrics.find("webhooks.endpoint.held.back")
                .tag("webhook_id", webhook).tag("control", "rate_limit").gauge();
        int sent = Receivers.received(path).size();
        // all of it, in the lane and due in the queue behind it (the first seconds' 50 a second are sent by now)
        assertThat("webhooks_endpoint_held_back{control=rate_limit} shows the endpoint's backlog (" + sent + " sent)",
                held == null ? 0.0 : held.value(), org.hamcrest.Matchers.greaterThan(ids.size() - sent - 150.0));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                .until(() -> Receivers.received(path).size() >= ids.size());
        List<Long> at = Receivers.received(path).stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
        assertThat("each event once", Receivers.received(path).stream().map(r -> r.getHeader("webhook-id"))
                .distinct().toList(), hasSize(ids.size()));
        int worst = 0;
        for (int i = 0, j = 0; i < at.size(); i++) {
            while (j < at.size() && at.get(j) < at.get(i) + 1000) {
                j++;
            }
            worst = Math.max(worst, j - i);
        }
        long spanMs = at.get(at.size() - 1) - at.get(0);
        System.out.printf("rate_limit 50: %d deliveries in %d ms, at most %d in any one-second window%n", at.size(),
                spanMs, worst);
        assertThat("at most the rate in any second", worst, lessThanOrEqualTo(55));
        // 19 s at the rate after the first second's 50; WireMock logs each request a few ms after it was sent
        assertThat("drained at the rate: not a burst", spanMs, greaterThanOrEqualTo(18_500L));
        assertThat("and not much slower", spanMs, lessThanOrEqualTo(24_400L));
    }

    /**
     * A backlog held by the endpoint's owner (a rate limit of 4 a second, 24 events) when its URL changes: what was
     * not yet sent goes to the new URL; the old one gets only what had started by then (and one more at most, the
     * owner hearing of the change a moment after the commit).
     */
    @Test
    void aNewUrlReachesTheDeliveriesItsOwnerAlreadyHolds() {
        String old = Receivers.newPath();
        String moved = Receivers.newPath();
        DeliveryPipelineTest.stubOk(old);
        DeliveryPipelineTest.stubOk(moved);
        String webhook = create(old, Map.of("rate_limit", 4)).then().statusCode(201)
                .extract().as(Json.Doc.class).at("id");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ids.add(publish(owner.name() + "/api", "{\"n\":" + i + "}"));
        }
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> Receivers.received(old).size() >= 2);
        owner.request().body(Map.of("url", Receivers.url(moved))).patch("/v2/webhooks/" + webhook)
                .then().statusCode(200);
        int sentBefore = Receivers.received(old).size();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> Receivers.received(old).size() + Receivers.received(moved).size() >= ids.size());
        List<String> arrived = new ArrayList<>();
        for (String path : List.of(old, moved)) {
            Receivers.received(path).forEach(r -> arrived.add(r.getHeader("webhook-id")));
        }
        assertThat("each event once, old URL and new together", arrived, hasSize(ids.size()));
        assertThat(arrived.stream().distinct().toList(), hasSize(ids.size()));
        assertThat("the old URL got only what had started", Receivers.received(old).size(),
                lessThanOrEqualTo(sentBefore + 1));
    }

    /**
     * {@code ordering: {"key": "repo"}}, 20 repositories × 100 events published at once, the receiver refusing a
     * random 10 % of them the first time: per repository, the events are first accepted in the order they were
     * published, and every one is.
     */
    @Test
    void orderedDeliveriesOfAKeyGoOneAtATimeInEventOrderThoughSomeFailOnce() throws Exception {
        try (CountingReceiver receiver = CountingReceiver.start()) {
            String name = "ordered-" + Ids.random(6);
            create(receiver.endpoint(name, CountingReceiver.Answer.okAfter(20)),
                    Map.of("ordering", Map.of("key", "repo")))
                    .then().statusCode(201).body(Json.at("ordering.key", equalTo("repo")));
            Map<String, List<String>> byRepo = new java.util.LinkedHashMap<>();
            List<String> refused = new ArrayList<>();
            List<String[]> records = new ArrayList<>();
            java.util.Random random = new java.util.Random(7);
            for (int n = 0; n < 100; n++) {
                for (int r = 0; r < 20; r++) {
                    String repo = owner.name() + "/repo" + r;
                    String id = Kafka.newEventId();
                    byRepo.computeIfAbsent(repo, k -> new ArrayList<>()).add(id);
                    if (random.nextInt(10) == 0) {
                        refused.add(id);
                    }
                    records.add(new String[] {id, repo});
                }
            }
            receiver.failOnce(name, refused); // before the first of them can arrive
            for (String[] record : records) {
                Kafka.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>("repo.push",
                        owner.name().getBytes(StandardCharsets.UTF_8),
                        Kafka.event("repo.push", record[0], owner.name(), record[1]).getBytes(StandardCharsets.UTF_8)));
            }
            Kafka.producer().flush();
            long started = System.nanoTime();
            // each key's later deliveries wait behind its first: what the ordering holds back is in the metric
            // (once stored: until then, the events still on their way count as not accepted and not held)
            String webhook = owner.request().get("/v2/webhooks").then().extract().as(Json.Doc.class).at("data[0].id");
            await("webhooks_endpoint_held_back{control=ordering} counts most of what is not accepted yet")
                    .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        int left = records.size() - (int) receiver.accepted(name);
                        heldBack.refresh();
                        io.micrometer.core.instrument.Gauge held = metrics.find("webhooks.endpoint.held.back")
                                .tag("webhook_id", webhook).tag("control", "ordering").gauge();
                        return left > 200 && held != null && held.value() > left / 2.0;
                    });
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> receiver.accepted(name) >= records.size());
            System.out.printf("ordering by repo: 2,000 deliveries of 20 keys (%d refused once) in %d ms, at most %d "
                    + "in flight%n", refused.size(), (System.nanoTime() - started) / 1_000_000,
                    receiver.maxInFlight(name));
            List<String> accepted = receiver.acceptedInOrder(name);
            for (Map.Entry<String, List<String>> repo : byRepo.entrySet()) {
                List<String> published = repo.getValue();
                assertThat(repo.getKey(), accepted.stream().filter(published::contains).toList(), equalTo(published));
            }
            assertThat("every key's refusals were retried", receiver.requests(name),
                    equalTo((long) records.size() + refused.size()));
            assertThat("the keys went side by side", receiver.maxInFlight(name), greaterThanOrEqualTo(2));
        }
    }

    private Response create(String path, Map<String, Object> with) {
        Map<String, Object> body = new HashMap<>(with);
        body.put("url", path.startsWith("http") ? path : Receivers.url(path));
        body.put("events", List.of("*"));
        return owner.request().body(body).post("/v2/webhooks");
    }

    private String publish(String repo, String data) {
        String id = Kafka.newEventId();
        String event = "{\"event\":\"repo.push\",\"id\":\"" + id + "\",\"timestamp\":\"2025-01-20T14:35:22Z\","
                + "\"owner\":\"" + owner.name() + "\"" + (repo == null ? "" : ",\"repo\":\"" + repo + "\"")
                + ",\"data\":" + data + "}";
        Kafka.publish("repo.push", owner.name(), event);
        return id;
    }
}
