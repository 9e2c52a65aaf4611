package dev.git.webhooks.ops.operator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.git.webhooks.testing.Errors.assertError;
import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The operators' cross-owner routes: deliveries with filters and the window they cover, endpoint health, replays
 * listed, bulk, cancelled; every list bounded by since and until.
 */
@QuarkusTest
class OpsRoutesTest {

    private String operator;

    @BeforeEach
    void operatorKey() {
        operator = Api.newOperatorKey(List.of("ops:read", "ops:replay"));
    }

    @Test
    void findsFailedDeliveriesOfAnyOwnerByFilter() {
        Api.Owner acme = Api.newOwner();
        Api.Hook broken = Api.hook(acme, aResponse().withStatus(500));
        Api.Hook fine = Api.hook(acme, aResponse().withStatus(200));
        publish(acme, "deploy.failed");
        publish(acme, "repo.push");
        await().atMost(Duration.ofSeconds(20)).until(() -> search(Map.of("owner", acme.name(), "status", "failed"))
                .size() == 2);
        List<Map<String, Object>> failed = search(Map.of("owner", acme.name(), "status", "failed",
                "error_class", "http_500", "event", "deploy.failed"));
        assertThat(failed, hasSize(1));
        assertThat(failed.get(0).get("webhook_id"), equalTo(broken.id()));
        assertThat(failed.get(0).get("owner"), equalTo(acme.name()));
        assertThat(failed.get(0).get("attempts"), equalTo(4));
        assertThat(search(Map.of("owner", acme.name(), "error_class", "http_5xx")), hasSize(2));
        assertThat(search(Map.of("owner", acme.name(), "error_class", "timeout")), hasSize(0));
        assertThat(search(Map.of("endpoint", fine.id(), "status", "delivered")), hasSize(2));
        assertThat(search(Map.of("owner", acme.name(), "since", "2999-01-01T00:00:00Z")), hasSize(0));
        assertInvalid(Api.as(operator).queryParam("error_class", "Bad Class").get("/v2/ops/deliveries"),
                "error_class");
        assertInvalid(Api.as(operator).queryParam("status", "lost").get("/v2/ops/deliveries"), "status");
        Response page = Api.as(operator).queryParam("owner", acme.name()).queryParam("limit", 3)
                .get("/v2/ops/deliveries");
        page.then().body(Json.at("data", hasSize(3))).body(Json.at("pagination.has_more", equalTo(true)));
        Api.as(operator).queryParam("owner", acme.name()).queryParam("cursor",
                Json.<String>at(page, "pagination.next_cursor")).get("/v2/ops/deliveries").then()
                        .body(Json.at("data", hasSize(1)));
    }

    @Test
    void showsEndpointHealthOverTheLastHour() {
        Api.Owner acme = Api.newOwner();
        Api.Hook fine = Api.hook(acme, aResponse().withStatus(200));
        Api.Hook down = Api.hook(acme, aResponse().withStatus(503));
        for (int i = 0; i < 25; i++) {
            publish(acme, "repo.push");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(health(acme, down.id()).get("breaker")));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(fine.path()).size() == 25);
        // recorded after they were received: the figures once the last outcome is written
        Map<String, Object> good = await().atMost(Duration.ofSeconds(10)).until(() -> health(acme, fine.id()),
                h -> Integer.valueOf(0).equals(h.get("pending")));
        assertThat(good.get("state"), equalTo("enabled"));
        assertThat(good.get("breaker"), equalTo("closed"));
        assertThat(good.get("attempts_last_hour"), equalTo(25));
        assertThat(good.get("success_ratio"), equalTo(1.0f));
        assertThat(good.get("p95_latency_ms"), notNullValue());
        assertThat(good.get("pending"), equalTo(0));
        Map<String, Object> bad = health(acme, down.id());
        assertThat(bad.get("success_ratio"), equalTo(0.0f));
        assertThat(bad.get("last_error"), equalTo("http_status (HTTP 503)"));
        assertThat(bad.get("oldest_pending_at"), notNullValue());
        assertThat(((Number) bad.get("pending")).intValue(), greaterThanOrEqualTo(1));
        Api.as(operator).queryParam("owner", acme.name()).queryParam("state", "failing").get("/v2/ops/endpoints")
                .then().statusCode(200).body(Json.at("data.webhook_id", equalTo(List.of(down.id()))));
        acme.request().body(Map.of("active", false)).patch("/v2/webhooks/" + down.id()).then().statusCode(200);
        Api.as(operator).queryParam("owner", acme.name()).queryParam("state", "failing").get("/v2/ops/endpoints")
                .then().statusCode(200).body(Json.at("data", hasSize(0)));
        assertInvalid(Api.as(operator).queryParam("state", "sleepy").get("/v2/ops/endpoints"), "state");
    }

    /**
     * An endpoint deleted while a bulk replay over its owner's endpoints is being made (listed, then gone before the
     * replay is written) is left out: the bulk answers, it does not fail at its commit on the deleted row.
     */
    @Test
    void anEndpointDeletedDuringABulkReplayIsLeftOut() throws Exception {
        Api.Owner acme = Api.newOwner();
        Api.Hook kept = Api.hook(acme, aResponse().withStatus(200));
        Api.Hook gone = Api.hook(acme, aResponse().withStatus(200));
        try (java.sql.Connection deleting = Db.connect("test-deleting")) {
            deleting.setAutoCommit(false);
            try (var delete = deleting.prepareStatement("delete from webhook_endpoint where id = ?")) {
                delete.setString(1, gone.id());
                assertThat(delete.executeUpdate(), equalTo(1));
            }
            var bulk = java.util.concurrent.CompletableFuture.supplyAsync(() -> acme.request().body(Map.of())
                    .post("/v2/replays"));
            // the bulk has listed both and waits on the deleted row (uncommitted until now)
            Db.awaitWaitingOnALock(bulk);
            deleting.commit();
            Response answer = bulk.get(20, java.util.concurrent.TimeUnit.SECONDS);
            answer.then().statusCode(202).body(Json.at("replays.webhook_id", equalTo(List.of(kept.id()))));
        }
    }

    @Test
    void bulkReplaysOneOwnersEndpointsAfterADryRunAndCancels() {
        Api.Owner acme = Api.newOwner();
        Api.Hook one = Api.hook(acme, aResponse().withStatus(200));
        Api.Hook two = Api.hook(acme, aResponse().withStatus(200));
        publish(acme, "pr.merged");
        publish(acme, "pr.merged");
        await().atMost(Duration.ofSeconds(10)).until(() -> search(Map.of("owner", acme.name(), "status",
                "delivered")).size() == 4);
        Map<String, Object> filter = Map.of("owner", acme.name(), "status", "delivered", "events",
                List.of("pr.merged"), "dry_run", true);
        Api.as(operator).body(filter).post("/v2/replays").then().statusCode(202)
                .body(Json.at("batch_id", startsWith("rpb_"))).body(Json.at("dry_run", equalTo(true)))
                .body(Json.at("total", equalTo(4)))
                .body(Json.at("replays", hasSize(2))).body(Json.at("replays.state", everyItem(equalTo("completed"))));
        assertThat(Receivers.received(one.path()), hasSize(2));
        assertInvalid(Api.as(operator).body(Map.of("status", "failed")).post("/v2/replays"), "owner");
        assertInvalid(Api.as(operator).body(Map.of("owner", acme.name(), "status", "pending")).post("/v2/replays"),
                "status"); // pending deliveries are still being retried: a copy would send them twice
        assertInvalid(Api.as(operator).body(Map.of("owner", acme.name(), "events", List.of("nope.nope")))
                .post("/v2/replays"), "events");

        Response live = Api.as(operator).body(Map.of("owner", acme.name(), "status", "delivered", "webhooks",
                List.of(one.id()))).post("/v2/replays");
        live.then().statusCode(202).body(Json.at("total", equalTo(2))).body(Json.at("replays", hasSize(1)));
        String batch = Json.at(live, "batch_id");
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(one.path()).size() == 4);
        Api.as(operator).queryParam("batch", batch).get("/v2/replays").then().statusCode(200)
                .body(Json.at("data", hasSize(1))).body(Json.at("data[0].progress", equalTo(1.0f)))
                .body(Json.at("data[0].owner", equalTo(acme.name())));
        assertThat(Receivers.received(two.path()), hasSize(2));
        String done = Json.at(live, "replays[0].id");
        assertError(Api.as(operator).post("/v2/replays/" + done + "/cancel"), 409, "conflict");

        Api.as(operator).post("/v2/webhooks/" + two.id() + "/disable").then().statusCode(200);
        String waiting = acme.request().body(Map.of("status", "delivered")).post("/v2/webhooks/" + one.id()
                + "/replay").path("id");
        Api.as(operator).post("/v2/webhooks/" + one.id() + "/disable").then().statusCode(200);
        Api.as(operator).post("/v2/replays/" + waiting + "/cancel").then().statusCode(200)
                .body(Json.at("state", equalTo("cancelled")));
        Api.as(operator).body(Map.of()).post("/v2/webhooks/" + one.id() + "/enable").then().statusCode(200);
        // a cancelled replay sends nothing: no copy of it is pending (a copy made before the disable failed with it)
        assertThat(Db.query("select id from delivery where replay_id = ? and status = 'pending'", waiting),
                hasSize(0));
        assertThat(Receivers.received(one.path()), hasSize(4));
    }

    /**
     * A run over many endpoints, each with one delivery to copy, is not one endpoint a second: a replay that
     * completes leaves the rest of the second's budget (webhooks.ops.replay-rate) to the next one.
     */
    @Test
    void aBulkReplayOverManyEndpointsTakesSecondsNotOnePerEndpoint() {
        Api.Owner many = Api.newOwner();
        List<Api.Hook> hooks = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> Api.hook(many, aResponse().withStatus(200))).toList();
        publish(many, "pr.merged");
        await().atMost(Duration.ofSeconds(10)).until(() -> search(Map.of("owner", many.name(), "status",
                "delivered")).size() == hooks.size());
        Api.as(operator).body(Map.of("owner", many.name(), "status", "delivered")).post("/v2/replays").then()
                .statusCode(202).body(Json.at("replays", hasSize(hooks.size())));
        long started = System.nanoTime();
        await("every endpoint's copy sent").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> hooks.stream().allMatch(h -> Receivers.received(h.path()).size() == 2));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat("12 replays of one delivery each within a few ticks of the 1 s runner, not 12 s: " + took,
                took.compareTo(Duration.ofSeconds(4)) < 0, equalTo(true));
    }

    /**
     * Replays share the rate: a customer's replay of one delivery, made just after another owner's replay of 300
     * (three seconds at the default 100 a second), is done while that one still runs, not after it.
     */
    @Test
    void aSmallReplayIsNotQueuedBehindAnotherOwnersLargeOne() {
        Api.Owner large = Api.newOwner();
        Api.Owner small = Api.newOwner();
        Api.Hook big = Api.hook(large, aResponse().withStatus(200));
        Api.Hook little = Api.hook(small, aResponse().withStatus(200));
        for (int i = 0; i < 300; i++) {
            publish(large, "pr.merged");
        }
        publish(small, "pr.merged");
        await().atMost(Duration.ofSeconds(30)).until(() -> Receivers.received(big.path()).size() == 300
                && Receivers.received(little.path()).size() == 1);
        String first = large.request().body(Map.of("status", "delivered")).post("/v2/webhooks/" + big.id()
                + "/replay").then().statusCode(202).extract().as(Json.Doc.class).at("id");
        String second = small.request().body(Map.of("status", "delivered")).post("/v2/webhooks/" + little.id()
                + "/replay").then().statusCode(202).extract().as(Json.Doc.class).at("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> "completed".equals(small.request()
                .get("/v2/replays/" + second).path("state")));
        assertThat("the large one still runs", large.request().get("/v2/replays/" + first).path("state"),
                org.hamcrest.Matchers.oneOf("pending", "running"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Receivers.received(big.path()).size() == 600);
    }

    @Test
    void aListAcrossEveryOwnerSaysWhichDefaultWindowItCovers() {
        Api.Owner acme = Api.newOwner();
        Api.hook(acme, aResponse().withStatus(200));
        publish(acme, "repo.push");
        await().atMost(Duration.ofSeconds(10)).until(() -> search(Map.of("owner", acme.name())).size() == 1);
        // a delivery made two days ago: outside the default window of a list across every owner
        Instant old = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        Db.update("update delivery set created_at = ? where owner = ?", Timestamp.from(old), acme.name());
        String id = (String) search(Map.of("owner", acme.name())).get(0).get("id");

        Instant before = Instant.now();
        Response everything = Api.as(operator).get("/v2/ops/deliveries");
        everything.then().statusCode(200).body(Json.at("window.defaulted", equalTo(true)))
                .body(Json.at("window.until", nullValue()));
        Instant since = Instant.parse(Json.at(everything, "window.since"));
        assertThat("the last 24 hours", Duration.between(since, before).abs().minusHours(24).abs()
                .compareTo(Duration.ofMinutes(1)) < 0, equalTo(true));

        String until = old.plus(Duration.ofMinutes(1)).toString();
        Response dayBefore = Api.as(operator).queryParam("until", until).queryParam("limit", 100)
                .get("/v2/ops/deliveries");
        dayBefore.then().statusCode(200).body(Json.at("window.defaulted", equalTo(true)))
                .body(Json.at("window.until", equalTo(until))).body(Json.at("data.id", hasItem(id)));
        assertThat("the 24 hours before until", Instant.parse(Json.at(dayBefore, "window.since")),
                equalTo(Instant.parse(until).minus(Duration.ofHours(24))));

        Api.as(operator).queryParam("owner", acme.name()).get("/v2/ops/deliveries").then().statusCode(200)
                .body(Json.at("window.defaulted", equalTo(false))).body(Json.at("window.since", nullValue()))
                .body(Json.at("data.id", equalTo(List.of(id))));
        String asked = old.minus(Duration.ofDays(1)).toString();
        Api.as(operator).queryParam("since", asked).queryParam("status", "delivered").queryParam("limit", 1)
                .get("/v2/ops/deliveries").then().statusCode(200).body(Json.at("window.defaulted", equalTo(false)))
                .body(Json.at("window.since", equalTo(asked)));
        assertInvalid(Api.as(operator).queryParam("since", "2026-02-30").get("/v2/ops/deliveries"), "since");
        assertInvalid(Api.as(operator).queryParam("since", asked).queryParam("until", asked)
                .get("/v2/ops/deliveries"), "until");
    }

    @Test
    void everyOpsListTakesSinceAndUntilAndReplaysAState() {
        Api.Owner acme = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(200));
        String before = Instant.now().minusSeconds(2).toString();
        publish(acme, "pr.merged");
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 1);
        String replay = Api.as(operator).body(Map.of("status", "delivered")).post("/v2/webhooks/" + hook.id()
                + "/replay").then().statusCode(202).extract().as(Json.Doc.class).at("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hook.path()).size() == 2);
        String marker = Kafka.newEventId();
        Kafka.publish("repo.push", acme.name(), "{\"broken\":\"" + marker);
        String later = Instant.now().plusSeconds(60).toString();

        // audit: the replay, started by an operator's key
        Map<String, String> audited = Map.of("target", hook.id(), "action", "webhook.replay");
        assertThat(list("/v2/ops/audit", audited, Map.of("since", before)), hasSize(1));
        assertThat(list("/v2/ops/audit", audited, Map.of("since", before, "until", later)), hasSize(1));
        assertThat(list("/v2/ops/audit", audited, Map.of("since", later)), hasSize(0));
        assertThat(list("/v2/ops/audit", audited, Map.of("until", before)), hasSize(0));
        // replays: by creation time and state
        Map<String, String> mine = Map.of("webhook", hook.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> list("/v2/replays", mine, Map.of("state", "completed"))
                .size() == 1);
        assertThat(list("/v2/replays", mine, Map.of("state", "completed", "since", before)).get(0).get("id"),
                equalTo(replay));
        assertThat(list("/v2/replays", mine, Map.of("state", "running")), hasSize(0));
        assertThat(list("/v2/replays", mine, Map.of("until", before)), hasSize(0));
        assertThat(list("/v2/replays", mine, Map.of("since", later)), hasSize(0));
        // endpoints: by creation time
        Map<String, String> owned = Map.of("owner", acme.name());
        assertThat(list("/v2/ops/endpoints", owned, Map.of("since", before)), hasSize(1));
        assertThat(list("/v2/ops/endpoints", owned, Map.of("until", before)), hasSize(0));
        // dead letters: by the time the record was dead-lettered
        await().atMost(Duration.ofSeconds(15)).until(() -> letters(marker, Map.of("since", before)).size() == 1);
        assertThat(letters(marker, Map.of("since", before, "until", later)), hasSize(1));
        assertThat(letters(marker, Map.of("until", before)), hasSize(0));
        assertThat(letters(marker, Map.of("since", later)), hasSize(0));

        for (String route : List.of("/v2/ops/audit", "/v2/replays", "/v2/ops/endpoints", "/v2/ops/dead-letters",
                "/v2/ops/deliveries")) {
            assertInvalid(Api.as(operator).queryParam("since", "yesterday").get(route), "since");
            assertInvalid(Api.as(operator).queryParam("until", "10000-01-01T00:00:00Z").get(route), "until");
            assertInvalid(Api.as(operator).queryParam("since", later).queryParam("until", before).get(route),
                    "until");
        }
        assertInvalid(Api.as(operator).queryParam("state", "stuck").get("/v2/replays"), "state");
        assertInvalid(acme.request().queryParam("state", "stuck").get("/v2/replays"), "state");
    }

    private List<Map<String, Object>> list(String route, Map<String, String> filter, Map<String, String> times) {
        return Api.as(operator).queryParams(filter).queryParams(times).queryParam("limit", 100).get(route).then()
                .statusCode(200).extract().as(Json.Doc.class).at("data");
    }

    /** The dead letters whose preview holds {@code marker}, of a list filtered by {@code times}. */
    private List<Map<String, Object>> letters(String marker, Map<String, String> times) {
        return list("/v2/ops/dead-letters", Map.of(), times).stream()
                .filter(l -> String.valueOf(((Map<?, ?>) l.get("preview")).get("text")).contains(marker)).toList();
    }

    private void publish(Api.Owner owner, String type) {
        Kafka.publish(type, owner.name(), Kafka.event(type, Kafka.newEventId(), owner.name(), null));
    }

    private List<Map<String, Object>> search(Map<String, String> query) {
        return Api.as(operator).queryParams(query).queryParam("limit", 100).get("/v2/ops/deliveries").then()
                .statusCode(200).extract().as(Json.Doc.class).at("data");
    }

    private Map<String, Object> health(Api.Owner owner, String webhook) {
        List<Map<String, Object>> rows = Api.as(operator).queryParam("owner", owner.name()).get("/v2/ops/endpoints")
                .then().statusCode(200).extract().as(Json.Doc.class).at("data");
        return rows.stream().filter(r -> webhook.equals(r.get("webhook_id"))).findFirst().orElseThrow();
    }
}
