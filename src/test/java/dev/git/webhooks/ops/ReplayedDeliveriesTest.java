package dev.git.webhooks.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.git.webhooks.testing.Errors.assertError;
import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A failed delivery that is redelivered or replayed becomes {@code replayed}, linked to its copy, so that later
 * replays, enable-with-replay and failure lists skip it: each event recovered is delivered exactly once more.
 */
@QuarkusTest
class ReplayedDeliveriesTest {

    private Api.Owner owner;
    private String path;
    private String webhook;

    @BeforeEach
    void failingEndpoint() {
        owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(500));
        path = hook.path();
        webhook = hook.id();
    }

    @Test
    void replayingTwiceAndEnablingWithReplayAfterAReplayDeliverEachEventExactlyOnceMore() {
        List<String> events = List.of(publish(), publish(), publish());
        awaitDeliveries("failed", 3);

        answer(aResponse().withStatus(200));
        awaitCompleted(replay().then().statusCode(202).body(Json.at("total", equalTo(3)))
                .extract().as(Json.Doc.class).at("id"));
        awaitDeliveries("delivered", 3);
        assertThat(deliveries("failed"), empty());
        List<Map<String, Object>> replayed = page("replayed");
        assertThat(replayed, hasSize(3));
        assertThat("each links to a delivered copy", replayed.stream().map(d -> status((String) d.get("replayed_by")))
                .toList(), everyItem(equalTo("delivered")));

        replay().then().statusCode(202).body(Json.at("total", equalTo(0))).body(Json.at("state", equalTo("completed")));

        // later an event fails while the endpoint answers 410, which switches it off; enable replays that one only
        answer(aResponse().withStatus(410));
        String late = publish();
        await().atMost(Duration.ofSeconds(10)).until(() -> "auto_disabled".equals(owner.request()
                .get("/v2/webhooks/" + webhook).path("status")));
        answer(aResponse().withStatus(200));
        String enableReplay = owner.request().body(Map.of("replay_failed", true))
                .post("/v2/webhooks/" + webhook + "/enable").then().statusCode(200)
                .body(Json.at("replay.total", equalTo(1)))
                .extract().as(Json.Doc.class).at("replay.id");
        awaitCompleted(enableReplay);
        awaitDeliveries("delivered", 4);
        replay().then().statusCode(202).body(Json.at("total", equalTo(0)));
        owner.request().body(Map.of("replay_failed", true)).post("/v2/webhooks/" + webhook + "/enable").then()
                .statusCode(200).body(Json.at("replay.total", equalTo(0)));

        List<String> all = new ArrayList<>(events);
        all.add(late);
        Map<String, Long> accepted = acceptedByEvent();
        assertThat(accepted.keySet(), containsInAnyOrder(all.toArray()));
        assertThat("each event accepted exactly once", accepted.values(), everyItem(equalTo(1L)));
        assertThat(deliveries("failed"), empty());
        assertThat(deliveries("replayed"), hasSize(4));
    }

    /**
     * A redelivery made while its endpoint is being disabled (the disable holds the endpoint's row, not committed yet)
     * waits for it and is refused: no copy is left pending on a disabled endpoint, which nothing would send or fail.
     */
    @Test
    void aRedeliveryRacingADisableIsRefusedNotLeftPending() throws Exception {
        publish();
        awaitDeliveries("failed", 1);
        String original = deliveries("failed").get(0);
        try (java.sql.Connection disabling = disablingUncommitted()) {
            var redelivery = java.util.concurrent.CompletableFuture.supplyAsync(() -> owner.request()
                    .post("/v2/deliveries/" + original + "/redeliver"));
            Db.awaitWaitingOnALock(redelivery);
            disabling.commit();
            assertError(redelivery.get(20, java.util.concurrent.TimeUnit.SECONDS), 409, "conflict");
        }
        assertThat("nothing pending on the disabled endpoint", deliveries("pending"), empty());
        assertThat(deliveries("failed"), equalTo(List.of(original)));
    }

    /**
     * An enable made while a disable of the endpoint is being committed waits for it and then enables what is
     * disabled: it does not decide from the endpoint as read before the disable ("already enabled") and leave it
     * disabled while answering enabled.
     */
    @Test
    void anEnableRacingADisableEnablesWhatTheDisableLeft() throws Exception {
        try (java.sql.Connection disabling = disablingUncommitted()) {
            var enable = java.util.concurrent.CompletableFuture.supplyAsync(() -> owner.request()
                    .post("/v2/webhooks/" + webhook + "/enable"));
            Db.awaitWaitingOnALock(enable);
            disabling.commit();
            enable.get(20, java.util.concurrent.TimeUnit.SECONDS).then().statusCode(200)
                    .body(Json.at("webhook.status", equalTo("enabled")));
        }
        assertThat(Db.query("select status from webhook_endpoint where id = ?", webhook).get(0).get("status"),
                equalTo("enabled"));
        assertThat("and it was an enable: its notice is stored", Db.query("select id from event where owner = ? and "
                + "type = 'endpoint.enabled'", owner.name()), hasSize(1));
    }

    /** A delivery whose event was purged meanwhile (retention) cannot be sent again: said, not a 500. */
    @Test
    void aDeliveryWhoseEventIsGoneIsNotRedelivered() {
        String event = publish();
        awaitDeliveries("failed", 1);
        String original = deliveries("failed").get(0);
        assertThat(Db.update("delete from event where id = ?", event), equalTo(1));
        assertError(owner.request().post("/v2/deliveries/" + original + "/redeliver"), 409, "conflict");
        assertThat(deliveries("failed"), equalTo(List.of(original)));
    }

    @Test
    void redeliveringAFailedDeliveryMarksItReplayedAndLinksTheCopy() {
        publish();
        awaitDeliveries("failed", 1);
        String original = deliveries("failed").get(0);
        answer(aResponse().withStatus(200));

        Response copy = owner.request().post("/v2/deliveries/" + original + "/redeliver");
        copy.then().statusCode(202).body(Json.at("redelivery_of", equalTo(original)))
                .body(Json.at("replayed_by", nullValue()));
        String copyId = Json.at(copy, "id");
        owner.request().get("/v2/deliveries/" + original).then().statusCode(200)
                .body(Json.at("status", equalTo("replayed"))).body(Json.at("replayed_by", equalTo(copyId)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(status(copyId)));
        assertThat(deliveries("replayed"), equalTo(List.of(original)));
        assertThat(deliveries("failed"), empty());

        assertError(owner.request().post("/v2/deliveries/" + original + "/redeliver"), 409, "conflict");
        replay().then().statusCode(202).body(Json.at("total", equalTo(0)));
        owner.request().post("/v2/deliveries/" + copyId + "/redeliver").then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> acceptedByEvent().values().stream().mapToLong(n -> n)
                .sum() == 2);
        assertThat("a delivered one only gets a copy", status(copyId), equalTo("delivered"));
    }

    /**
     * Redelivering a pending delivery means "try now" (a customer who fixed their endpoint does not wait hours for
     * the next retry): the same delivery, its next attempt made at once, no copy, nothing sent twice. It is not
     * replayed either.
     */
    @Test
    void aPendingDeliveryIsTriedNowNotCopiedNorReplayed() {
        answer(aResponse().withStatus(429).withHeader("Retry-After", "10"));
        publish();
        awaitDeliveries("pending", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Receivers.received(path).isEmpty());
        String pending = deliveries("pending").get(0);
        await("its retry is queued").atMost(Duration.ofSeconds(10)).until(() -> Db.update("update delivery set "
                + "next_attempt_at = now() + interval '10 hours' where id = ? and claim is null "
                + "and next_attempt_at is not null", pending) == 1); // as if its next retry were hours away
        answer(aResponse().withStatus(200));
        owner.request().post("/v2/deliveries/" + pending + "/redeliver").then().statusCode(202)
                .body(Json.at("id", equalTo(pending))).body(Json.at("redelivery_of", nullValue()));
        await("tried now, not in 10 hours").atMost(Duration.ofSeconds(10))
                .until(() -> "delivered".equals(status(pending)));
        assertThat("one attempt refused, one made now", Receivers.received(path), hasSize(2));
        assertThat("no copy", Db.query("select id from delivery where redelivery_of = ?", pending), empty());
        owner.request().post("/v2/deliveries/" + pending + "/redeliver").then().statusCode(202);
        await("a delivered one gets a copy, delivered").atMost(Duration.ofSeconds(10)).until(() -> Db.query(
                "select id from delivery where redelivery_of = ? and status = 'delivered'", pending).size() == 1);
        // one copy, delivered, and nothing of the endpoint left to send: one more request, and only one
        assertThat(Db.query("select id from delivery where endpoint_id = ? and status = 'pending'", webhook), empty());
        assertThat(Receivers.received(path), hasSize(3));
        assertInvalid(owner.request().body(Map.of("status", "pending")).post("/v2/webhooks/" + webhook + "/replay"),
                "status");
        assertInvalid(owner.request().body(Map.of("status", "replayed")).post("/v2/webhooks/" + webhook + "/replay"),
                "status");
        assertThat(page("pending"), empty());
    }

    /**
     * Recover (SPEC §4): the events missed while the endpoint was inactive are delivered once, its failures of the
     * window replayed once, nothing else sent; a second recover over the same window sends nothing; enable with
     * recover_since brings back what it missed while disabled.
     */
    @Test
    void recoverDeliversWhatTheEndpointMissedAndWhatFailedOnceEachAndNothingTwice() {
        owner.request().body(Map.of("events", List.of("deploy.failed"))).patch("/v2/webhooks/" + webhook).then()
                .statusCode(200);
        String since = java.time.Instant.now().minusSeconds(1).toString();
        String failed = publish();
        awaitDeliveries("failed", 1);
        owner.request().body(Map.of("active", false)).patch("/v2/webhooks/" + webhook).then().statusCode(200);
        int replaysBefore = Db.query("select id from replay where endpoint_id = ?", webhook).size();
        List<String> missed = List.of(publish(), publish());
        String otherType = Kafka.newEventId(); // a type it does not subscribe to: not missed
        Kafka.publish("pr.merged", owner.name(), Kafka.event("pr.merged", otherType, owner.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Db.query("select id from event where id in (?, ?, ?)",
                missed.get(0), missed.get(1), otherType).size() == 3);
        assertThat("no delivery while inactive", Db.query("select id from delivery where event_id in (?, ?)",
                missed.get(0), missed.get(1)), empty());
        // a recover or replay asked of an inactive endpoint would send nothing: refused, not a 200 without a replay
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("replay_failed", true),
                Map.of("recover_since", since))) {
            assertError(owner.request().body(body).post("/v2/webhooks/" + webhook + "/enable"), 409, "conflict");
        }
        assertThat("and nothing changed: no replay of it", Db.query("select id from replay where endpoint_id = ?",
                webhook).size(), equalTo(replaysBefore));
        owner.request().body(Map.of("active", true)).patch("/v2/webhooks/" + webhook).then().statusCode(200);
        answer(aResponse().withStatus(200));

        assertInvalid(owner.request().body(Map.of("until", since)).post("/v2/webhooks/" + webhook + "/recover"),
                "since");
        // before the retention of delivered deliveries, what it received is no longer known: it would be sent again
        String beyondRetention = java.time.Instant.now().minus(Duration.ofDays(31)).toString();
        assertInvalid(owner.request().body(Map.of("since", beyondRetention)).post("/v2/webhooks/" + webhook
                + "/recover"), "since");
        assertInvalid(owner.request().body(Map.of("recover_since", beyondRetention)).post("/v2/webhooks/" + webhook
                + "/enable"), "recover_since");
        assertInvalid(owner.request().body(Map.of("recover_since", "yesterday")).post("/v2/webhooks/" + webhook
                + "/enable"), "recover_since");
        // a time to come: nothing can have been missed since then (a clock or a time zone mistaken), said
        String tomorrow = java.time.Instant.now().plus(Duration.ofDays(1)).toString();
        assertInvalid(owner.request().body(Map.of("since", tomorrow)).post("/v2/webhooks/" + webhook + "/recover"),
                "since");
        assertInvalid(owner.request().body(Map.of("recover_since", tomorrow)).post("/v2/webhooks/" + webhook
                + "/enable"), "recover_since");
        // a blank time in a body is a mistake (an unset variable in a script), not "no bound": said, not ignored
        assertInvalid(owner.request().body(Map.of("since", " ")).post("/v2/webhooks/" + webhook + "/recover"),
                "since");
        assertInvalid(owner.request().body(Map.of("since", since, "until", "")).post("/v2/webhooks/" + webhook
                + "/recover"), "until");
        assertInvalid(owner.request().body(Map.of("recover_since", "")).post("/v2/webhooks/" + webhook
                + "/enable"), "recover_since");
        assertInvalid(owner.request().body(Map.of("since", "")).post("/v2/webhooks/" + webhook + "/replay"),
                "since");
        // a recover replays the failures of its window; asked together with replay_failed, one of them would not be
        assertInvalid(owner.request().body(Map.of("recover_since", since, "replay_failed", true))
                .post("/v2/webhooks/" + webhook + "/enable"), "replay_failed");
        String recover = owner.request().body(Map.of("since", since)).post("/v2/webhooks/" + webhook + "/recover")
                .then().statusCode(202).body(Json.at("filter.status", equalTo("recover")))
                .extract().as(Json.Doc.class).at("id");
        awaitCompleted(recover);
        // it looked at every event of the owner in the window (the service's own delivery.exhausted notice too)
        owner.request().get("/v2/replays/" + recover).then().body(Json.at("progress", equalTo(1.0f)))
                .body(Json.at("total", org.hamcrest.Matchers.greaterThanOrEqualTo(4)));
        await().atMost(Duration.ofSeconds(10)).until(() -> acceptedByEvent().size() == 3);
        assertThat(acceptedByEvent(), equalTo(Map.of(failed, 1L, missed.get(0), 1L, missed.get(1), 1L)));
        assertThat(deliveries("failed"), empty());

        int made = Db.query("select id from delivery where endpoint_id = ?", webhook).size();
        awaitCompleted(owner.request().body(Map.of("since", since)).post("/v2/webhooks/" + webhook + "/recover")
                .then().statusCode(202).extract().as(Json.Doc.class).at("id"));
        assertThat("a second recover makes no delivery", Db.query("select id from delivery where endpoint_id = ?",
                webhook), hasSize(made));
        // and sends nothing: no delivery of the endpoint is left pending to send
        assertThat(Db.query("select id from delivery where endpoint_id = ? and status = 'pending'", webhook), empty());
        assertThat(acceptedByEvent(), equalTo(Map.of(failed, 1L, missed.get(0), 1L, missed.get(1), 1L)));

        String before = java.time.Instant.now().minusSeconds(1).toString();
        owner.request().post("/v2/webhooks/" + webhook + "/disable").then().statusCode(200);
        String whileDisabled = publish();
        await().atMost(Duration.ofSeconds(10)).until(() -> !Db.query("select id from event where id = ?",
                whileDisabled).isEmpty());
        String replay = owner.request().body(Map.of("recover_since", before)).post("/v2/webhooks/" + webhook
                + "/enable").then().statusCode(200).extract().as(Json.Doc.class).at("replay.id");
        awaitCompleted(replay);
        await().atMost(Duration.ofSeconds(10)).until(() -> acceptedByEvent().getOrDefault(whileDisabled, 0L) == 1);
        assertThat(acceptedByEvent().size(), equalTo(4));
    }

    /**
     * A recover brings back the system notices the endpoint missed as the live fan-out sends them: by their type
     * alone, whatever the endpoint's {@code repos} (a notice has no repository).
     */
    @Test
    void recoverSendsTheNoticesAnEndpointMissedWhateverItsRepos() {
        String alerts = Receivers.answering(aResponse().withStatus(204));
        String listener = Api.createWebhook(owner, Map.of("url", Receivers.url(alerts), "events",
                List.of("endpoint.disabled"), "repos", List.of(owner.name() + "/api"), "active", false));
        String since = java.time.Instant.now().minusSeconds(1).toString();
        owner.request().post("/v2/webhooks/" + webhook + "/disable").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Db.query("select id from event where owner = ? and type "
                + "= 'endpoint.disabled'", owner.name()).isEmpty());
        owner.request().body(Map.of("active", true)).patch("/v2/webhooks/" + listener).then().statusCode(200);
        awaitCompleted(owner.request().body(Map.of("since", since)).post("/v2/webhooks/" + listener + "/recover")
                .then().statusCode(202).extract().as(Json.Doc.class).at("id"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(alerts).size() >= 1);
        assertThat(Receivers.received(alerts).get(0).getHeader("X-Webhook-Event"), equalTo("endpoint.disabled"));

        // its own endpoint.disabled went to the owner's other endpoints, not to it: a recover does not send it either
        String disabledItself = java.time.Instant.now().minusSeconds(1).toString();
        owner.request().post("/v2/webhooks/" + listener + "/disable").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Db.query("select id from event where owner = ? and type "
                + "= 'endpoint.disabled'", owner.name()).size() == 2);
        String own = owner.request().body(Map.of("recover_since", disabledItself)).post("/v2/webhooks/" + listener
                + "/enable").then().statusCode(200).extract().as(Json.Doc.class).at("replay.id");
        awaitCompleted(own);
        assertThat(Db.query("select id from delivery where endpoint_id = ? and replay_id = ?", listener, own),
                empty());
    }

    /** A disable of the endpoint as {@code EndpointStops} makes one (its row locked, then changed), not committed. */
    private java.sql.Connection disablingUncommitted() throws java.sql.SQLException {
        java.sql.Connection disabling = Db.connect("test-disabling");
        disabling.setAutoCommit(false);
        try (var lock = disabling.prepareStatement("select id from webhook_endpoint where id = ? for no key update");
                var disable = disabling.prepareStatement("update webhook_endpoint set status = 'disabled', "
                        + "disabled_reason = 'owner' where id = ?")) {
            lock.setString(1, webhook);
            lock.executeQuery().close();
            disable.setString(1, webhook);
            assertThat(disable.executeUpdate(), equalTo(1));
        }
        return disabling;
    }

    private void answer(ResponseDefinitionBuilder response) {
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(response));
    }

    private String publish() {
        String id = Kafka.newEventId();
        Kafka.publish("deploy.failed", owner.name(), Kafka.event("deploy.failed", id, owner.name(), null));
        return id;
    }

    private Response replay() {
        return owner.request().body(Map.of("status", "failed")).post("/v2/webhooks/" + webhook + "/replay");
    }

    private void awaitCompleted(String replay) {
        await().atMost(Duration.ofSeconds(15)).until(() -> "completed".equals(owner.request()
                .get("/v2/replays/" + replay).path("state")));
    }

    private void awaitDeliveries(String status, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(status).size() == count);
    }

    private String status(String delivery) {
        return owner.request().get("/v2/deliveries/" + delivery).path("status");
    }

    private List<String> deliveries(String status) {
        return page(status).stream().map(d -> (String) d.get("id")).toList();
    }

    private List<Map<String, Object>> page(String status) {
        return owner.request().queryParam("status", status).queryParam("limit", 100)
                .get("/v2/webhooks/" + webhook + "/deliveries").then().statusCode(200)
                .extract().as(Json.Doc.class).at("data");
    }

    /** How many times the endpoint accepted (2xx) each event. */
    private Map<String, Long> acceptedByEvent() {
        return Receivers.server().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(path) && e.getResponse().getStatus() == 200)
                .collect(Collectors.groupingBy(e -> e.getRequest().getHeader("webhook-id"), Collectors.counting()));
    }
}
