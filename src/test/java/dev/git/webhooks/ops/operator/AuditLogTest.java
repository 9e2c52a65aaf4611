package dev.git.webhooks.ops.operator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.ops.Replays;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Every action taken with an operator's key is in the audit log, with its result; reads and owners' keys are not. */
@QuarkusTest
class AuditLogTest {

    @Test
    void recordsEveryOperatorActionWithItsResult() {
        Api.Owner acme = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(200));
        Response created = Api.admin().body(Map.of("scopes", List.of("ops:read", "ops:replay")))
                .post("/v2/api-keys");
        String operator = Json.at(created, "key");
        String keyId = Json.at(created, "id");

        Api.as(operator).post("/v2/webhooks/" + hook.id() + "/disable").then().statusCode(200)
                .body(Json.at("status", equalTo("disabled"))).body(Json.at("disabled_reason", equalTo("operator")));
        Api.as(operator).body(Map.of()).post("/v2/webhooks/" + hook.id() + "/enable").then().statusCode(200);
        Api.as(operator).post("/v2/deliveries/dlv_missing/redeliver").then().statusCode(404);
        Api.as(operator).get("/v2/webhooks/" + hook.id()).then().statusCode(200);
        acme.request().post("/v2/webhooks/" + hook.id() + "/disable").then().statusCode(200);

        Response log = Api.as(operator).queryParam("target", hook.id()).get("/v2/ops/audit");
        log.then().statusCode(200).body(Json.at("data", hasSize(2)))
                .body(Json.at("data[0].id", startsWith("aud_")))
                .body(Json.at("data[0].action", equalTo("webhook.enable")))
                .body(Json.at("data[0].result", equalTo("succeeded"))).body(Json.at("data[0].status", equalTo(200)))
                .body(Json.at("data[1].action", equalTo("webhook.disable")))
                .body(Json.at("data[1].method", equalTo("POST")))
                .body(Json.at("data[1].path", equalTo("/v2/webhooks/" + hook.id() + "/disable")))
                .body(Json.at("data[1].at", notNullValue())).body(Json.at("data[1].finished_at", notNullValue()));
        assertThat(Json.<List<String>>at(log, "data.key_id"), equalTo(List.of(keyId, keyId)));
        Api.as(operator).queryParam("target", "dlv_missing").get("/v2/ops/audit").then()
                .body(Json.at("data", hasSize(1))).body(Json.at("data[0].action", equalTo("delivery.redeliver")))
                .body(Json.at("data[0].result", equalTo("refused"))).body(Json.at("data[0].status", equalTo(404)));

        String reader = Api.newOperatorKey(List.of("ops:read"));
        Api.as(reader).post("/v2/webhooks/" + hook.id() + "/enable").then().statusCode(403);
        Api.as(operator).queryParam("action", "webhook.enable").queryParam("target", hook.id())
                .get("/v2/ops/audit").then().body(Json.at("data", hasSize(2)))
                .body(Json.at("data[0].result", equalTo("refused"))).body(Json.at("data[0].status", equalTo(403)));
    }

    @Test
    void recordsReplaysDryRunsAndCancellationsWithTheirTargets() {
        Api.Owner acme = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(200));
        Api.Hook other = Api.hook(acme, aResponse().withStatus(200));
        Kafka.publish("repo.push", acme.name(), Kafka.event("repo.push", Kafka.newEventId(), acme.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 1
                && Receivers.received(other.path()).size() == 1);
        Response created = Api.admin().body(Map.of("scopes", List.of("ops:read", "ops:replay"))).post("/v2/api-keys");
        String operator = Json.at(created, "key");
        String keyId = Json.at(created, "id");

        Api.as(operator).body(Map.of("status", "delivered", "dry_run", true))
                .post("/v2/webhooks/" + hook.id() + "/replay").then().statusCode(202);
        Api.as(operator).body(Map.of("status", "delivered")).post("/v2/webhooks/" + hook.id() + "/replay").then()
                .statusCode(202);
        assertEntry(operator, "replay.dry_run", hook.id(), keyId, "succeeded", 202);
        assertEntry(operator, "webhook.replay", hook.id(), keyId, "succeeded", 202);

        String owner = "owner:" + acme.name();
        Api.as(operator).body(Map.of("owner", acme.name(), "status", "delivered", "dry_run", true))
                .post("/v2/replays").then().statusCode(202);
        Api.as(operator).body(Map.of("owner", acme.name(), "status", "delivered", "webhooks", List.of(hook.id())))
                .post("/v2/replays").then().statusCode(202);
        assertEntry(operator, "replay.dry_run", owner, keyId, "succeeded", 202);
        assertEntry(operator, "replay.bulk", owner, keyId, "succeeded", 202);
        Api.as(operator).queryParam("action", "replay.bulk").queryParam("target", owner).get("/v2/ops/audit")
                .then().body(Json.at("data", hasSize(1))); // the dry run is not also a replay.bulk

        String waiting;
        try (Db.HeldLock runnerPaused = Db.holdLock(Replays.LOCK)) {
            waiting = acme.request().body(Map.of("status", "delivered")).post("/v2/webhooks/" + other.id()
                    + "/replay").then().statusCode(202).extract().as(Json.Doc.class).at("id");
            acme.request().post("/v2/webhooks/" + other.id() + "/disable").then().statusCode(200);
        }
        Api.as(operator).post("/v2/replays/" + waiting + "/cancel").then().statusCode(200)
                .body(Json.at("state", equalTo("cancelled")));
        assertEntry(operator, "replay.cancel", waiting, keyId, "succeeded", 200);
        Api.as(operator).post("/v2/replays/" + waiting + "/cancel").then().statusCode(409);
        assertEntry(operator, "replay.cancel", waiting, keyId, "refused", 409);
    }

    @Test
    void recordsARedriveAndAnEnableThatAlsoReplays() {
        Api.Owner acme = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(500));
        Kafka.publish("repo.push", acme.name(), Kafka.event("repo.push", Kafka.newEventId(), acme.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Receivers.received(hook.path()).isEmpty());
        acme.request().post("/v2/webhooks/" + hook.id() + "/disable").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(acme.request()
                .get("/v2/webhooks/" + hook.id() + "/deliveries").path("data[0].status")));
        Response created = Api.admin().body(Map.of("scopes", List.of("ops:read", "ops:replay"))).post("/v2/api-keys");
        String operator = Json.at(created, "key");
        String keyId = Json.at(created, "id");

        Response enabled = Api.as(operator).body(Map.of("replay_failed", true))
                .post("/v2/webhooks/" + hook.id() + "/enable");
        enabled.then().statusCode(200).body(Json.at("replay.total", equalTo(1)));
        assertEntry(operator, "webhook.enable_and_replay", hook.id(), keyId, "succeeded", 200);
        Api.as(operator).queryParam("action", "webhook.enable").queryParam("target", hook.id()).get("/v2/ops/audit")
                .then().body(Json.at("data", hasSize(0)));

        String marker = Kafka.newEventId();
        Kafka.publishDeadLetter("deploy.success", "unstorable", Kafka.event("deploy.success", marker,
                "org-nobody", null));
        String letter = await().atMost(Duration.ofSeconds(15)).until(() -> letterFor(operator, marker),
                Optional::isPresent).orElseThrow();
        Api.as(operator).post("/v2/ops/dead-letters/" + letter + "/redrive").then().statusCode(200);
        assertEntry(operator, "dead_letter.redrive", letter, keyId, "succeeded", 200);
    }

    /** The newest entry of {@code action} on {@code target}: by {@code keyId}, through the API, with its result. */
    private static void assertEntry(String reader, String action, String target, String keyId, String result,
            int status) {
        Api.as(reader).queryParam("action", action).queryParam("target", target).get("/v2/ops/audit").then()
                .statusCode(200).body(Json.at("data[0].action", equalTo(action)))
                .body(Json.at("data[0].target", equalTo(target)))
                .body(Json.at("data[0].key_id", equalTo(keyId))).body(Json.at("data[0].result", equalTo(result)))
                .body(Json.at("data[0].status", equalTo(status))).body(Json.at("data[0].method", equalTo("POST")))
                .body(Json.at("data[0].path", startsWith("/v2/"))).body(Json.at("data[0].finished_at", notNullValue()));
    }

    private static Optional<String> letterFor(String operator, String marker) {
        List<Map<String, Object>> letters = Api.as(operator).queryParam("limit", 100).get("/v2/ops/dead-letters")
                .path("data");
        return letters.stream().filter(l -> String.valueOf(((Map<?, ?>) l.get("preview")).get("text"))
                .contains(marker)).map(l -> (String) l.get("id")).findFirst();
    }
}
