package dev.git.webhooks.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Switching an endpoint off while a batch fans out to it: whichever goes first, nothing is left pending to go out,
 * old, when the endpoint is switched on again; and switching it on: whichever goes first, the batch's event reaches
 * it, from the batch or from the enable's recover. A trigger that waits on an advisory lock held by the test stops one
 * transaction at the worst moment, so that the race is played the same way every time.
 */
@QuarkusTest
class FanOutDisableRaceTest {

    private static final long GATE = 7_700_001L;

    @AfterEach
    void dropTriggers() {
        Db.update("drop trigger if exists test_gate on delivery");
        Db.update("drop trigger if exists test_gate on webhook_endpoint");
    }

    @Test
    void aBatchThatReadTheEndpointBeforeItWasSwitchedOffLeavesNothingPending() throws Exception {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(503));
        String event = Kafka.newEventId();
        try (Connection gate = closedGate()) {
            trigger("delivery", "new.owner = '" + owner.name() + "'");
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", event, owner.name(), null));
            await("the batch read its subscribers and waits to insert").atMost(Duration.ofSeconds(15))
                    .until(() -> waiting("advisory") > 0);
            CompletableFuture<Integer> off = switchActive(owner, hook, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> off.isDone() || waiting("transactionid") > 0);
            open(gate);
            assertEquals(200, off.get(10, TimeUnit.SECONDS));
        }
        awaitStored(owner, event);
        assertNothingPendingEvenAfterSwitchingOn(owner, hook, event);
    }

    @Test
    void aBatchThatReadsWhileTheEndpointIsBeingSwitchedOffLeavesItOut() throws Exception {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(503));
        String event = Kafka.newEventId();
        try (Connection gate = closedGate()) {
            trigger("webhook_endpoint", "new.id = '" + hook.id() + "'");
            CompletableFuture<Integer> off = switchActive(owner, hook, false);
            await("the switch-off holds the endpoint's row").atMost(Duration.ofSeconds(10))
                    .until(() -> waiting("advisory") > 0);
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", event, owner.name(), null));
            await().atMost(Duration.ofSeconds(15)).until(() -> stored(owner, event) || waiting("transactionid") > 0);
            open(gate);
            assertEquals(200, off.get(10, TimeUnit.SECONDS));
        }
        awaitStored(owner, event);
        assertEquals(List.of(), owner.request().get("/v2/webhooks/" + hook.id() + "/deliveries")
                .then().statusCode(200)
                .extract().as(Json.Doc.class).at("data"), "the switched-off endpoint was left out");
        assertNothingPendingEvenAfterSwitchingOn(owner, hook, event);
    }

    /**
     * An enable with a recover while a batch that read the disabled endpoint is still storing: the enable waits for
     * the batch, so that its recover reads the batch's event, which has no delivery to the endpoint, and sends it.
     * (It read the newest event before the batch committed, and the event was sent neither way.)
     */
    @Test
    void anEnableWithARecoverWaitsForABatchThatReadTheEndpointAndRecoversItsEvent() throws Exception {
        Api.Owner owner = Api.newOwner();
        Api.Hook off = Api.hook(owner, aResponse().withStatus(200));
        // a second endpoint, enabled: the batch inserts a delivery for it, and waits there
        Api.Hook on = Api.hook(owner, aResponse().withStatus(200));
        owner.request().post("/v2/webhooks/" + off.id() + "/disable").then().statusCode(200);
        String since = java.time.Instant.now().minusSeconds(60).toString();
        String event = Kafka.newEventId();
        CompletableFuture<Integer> enabled;
        try (Connection gate = closedGate()) {
            trigger("delivery", "new.owner = '" + owner.name() + "'");
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", event, owner.name(), null));
            await("the batch read its subscribers and waits to insert").atMost(Duration.ofSeconds(15))
                    .until(() -> waiting("advisory") > 0);
            enabled = CompletableFuture.supplyAsync(() -> owner.request().body(Map.of("recover_since", since))
                    .post("/v2/webhooks/" + off.id() + "/enable").statusCode());
            await("the enable waits for the batch").atMost(Duration.ofSeconds(10))
                    .until(() -> waiting("transactionid") > 0);
            open(gate);
        }
        assertEquals(200, enabled.get(10, TimeUnit.SECONDS));
        await("the enabled endpoint gets the event, recovered").atMost(Duration.ofSeconds(15))
                .until(() -> Receivers.received(off.path()).stream()
                        .anyMatch(r -> r.getBodyAsString().contains(event)));
        await("the other endpoint gets it from the batch").atMost(Duration.ofSeconds(15))
                .until(() -> Receivers.received(on.path()).size() == 1);
    }

    /**
     * A batch that reads the owner's endpoints while one of them is being enabled waits for the enable, and fans out
     * to it: the event came after the enable began, so it is the endpoint's to get, and no recover would send it.
     */
    @Test
    void aBatchThatReadsWhileTheEndpointIsBeingEnabledWaitsAndFansOutToIt() throws Exception {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, aResponse().withStatus(200));
        owner.request().post("/v2/webhooks/" + hook.id() + "/disable").then().statusCode(200);
        String event = Kafka.newEventId();
        try (Connection gate = closedGate()) {
            trigger("webhook_endpoint", "new.id = '" + hook.id() + "' and new.status = 'enabled'");
            CompletableFuture<Integer> on = CompletableFuture.supplyAsync(() -> owner.request()
                    .post("/v2/webhooks/" + hook.id() + "/enable").statusCode());
            await("the enable holds the endpoint's row").atMost(Duration.ofSeconds(10))
                    .until(() -> waiting("advisory") > 0);
            Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", event, owner.name(), null));
            await("the batch waits for the enable").atMost(Duration.ofSeconds(15))
                    .until(() -> stored(owner, event) || waiting("transactionid") > 0);
            open(gate);
            assertEquals(200, on.get(10, TimeUnit.SECONDS));
        }
        await("the event reaches the endpoint enabled while its batch read").atMost(Duration.ofSeconds(15))
                .until(() -> Receivers.received(hook.path()).stream().anyMatch(r -> r.getBodyAsString()
                        .contains(event)));
    }

    private static void assertNothingPendingEvenAfterSwitchingOn(Api.Owner owner, Api.Hook hook, String event) {
        // an event's deliveries are stored in its transaction: once it reads back, a pending one would be there
        assertEquals(0, pending(owner, hook), "the switched-off endpoint has nothing pending");
        assertEquals(200, switchActive(owner, hook, true).join());
        int sent = Receivers.received(hook.path()).size();
        // A sentinel published after the switch-on, instead of a fixed wait: once it has arrived, the switch-on is
        // done with, and a delivery of the first event left behind would be pending (waiting for its time or its
        // claim) or would have gone out
        String sentinel = Kafka.newEventId();
        Kafka.publish("repo.push", owner.name(), Kafka.event("repo.push", sentinel, owner.name(), null));
        await("the sentinel arrives").atMost(Duration.ofSeconds(15))
                .until(() -> Receivers.received(hook.path()).size() > sent);
        assertEquals(List.of(), Db.query("select id from delivery where event_id = ? and endpoint_id = ? and status "
                + "= 'pending'", event, hook.id()), "nothing of the first event is pending after the switch-on");
        List<LoggedRequest> after = Receivers.received(hook.path());
        assertEquals(List.of(true), after.subList(sent, after.size()).stream()
                .map(r -> r.getBodyAsString().contains(sentinel)).distinct().toList(),
                "after the switch-on only the sentinel went out, nothing old");
    }

    private static int pending(Api.Owner owner, Api.Hook hook) {
        return owner.request().get("/v2/webhooks/" + hook.id() + "/deliveries?status=pending")
                .then().statusCode(200).extract().<List<?>>path("data").size();
    }

    private static CompletableFuture<Integer> switchActive(Api.Owner owner, Api.Hook hook, boolean active) {
        return CompletableFuture.supplyAsync(() -> owner.request().body(Map.of("active", active))
                .patch("/v2/webhooks/" + hook.id()).statusCode());
    }

    private static void awaitStored(Api.Owner owner, String event) {
        await().atMost(Duration.ofSeconds(15)).until(() -> stored(owner, event));
    }

    private static boolean stored(Api.Owner owner, String event) {
        return owner.request().get("/v2/events/" + event).statusCode() == 200;
    }

    /** Lock waits of this kind in the database right now. */
    private static long waiting(String lockType) {
        return (Long) Db.query("select count(*) as n from pg_locks where not granted and locktype = ?", lockType)
                .get(0).get("n");
    }

    /** Rows of {@code table} matching {@code condition} wait, on insert or update, until the gate opens. */
    private static void trigger(String table, String condition) {
        Db.update("create or replace function test_gate() returns trigger language plpgsql as $$ begin "
                + "perform pg_advisory_xact_lock_shared(" + GATE + "); return new; end $$");
        Db.update("create trigger test_gate before insert or update on " + table + " for each row when ("
                + condition + ") execute function test_gate()");
    }

    private static Connection closedGate() throws Exception {
        Connection connection = DriverManager.getConnection(Infrastructure.jdbcUrl(), Infrastructure.username(),
                Infrastructure.password());
        try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_lock(" + GATE + ")")) {
            lock.execute();
        }
        return connection;
    }

    private static void open(Connection gate) throws Exception {
        try (PreparedStatement unlock = gate.prepareStatement("select pg_advisory_unlock(" + GATE + ")")) {
            unlock.execute();
        }
    }
}
