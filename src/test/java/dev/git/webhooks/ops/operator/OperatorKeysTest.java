package dev.git.webhooks.ops.operator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.git.webhooks.testing.Errors.assertError;
import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

/** Operator keys: made by the admin, no owner, every owner's resources through the routes of §4, read or replay. */
@QuarkusTest
class OperatorKeysTest {

    @Test
    void theAdminMakesOperatorKeysWithoutAnOwner() {
        Api.admin().body(Map.of("scopes", List.of("ops:read", "ops:replay"))).post("/v2/api-keys").then()
                .statusCode(201).body(Json.at("id", startsWith("key_"))).body(Json.at("owner", nullValue()))
                .body(Json.at("scopes", equalTo(List.of("ops:read", "ops:replay"))));
        assertInvalid(Api.admin().body(Map.of("owner", "acme", "scopes", List.of("ops:read")))
                .post("/v2/api-keys"), "owner");
        assertInvalid(Api.admin().body(Map.of("scopes", List.of("ops:read", "webhooks:read")))
                .post("/v2/api-keys"), "scopes");
        String operator = Api.newOperatorKey(List.of("ops:read"));
        assertError(Api.as(operator).get("/v2/api-keys"), 403, "forbidden");
    }

    @Test
    void anOperatorReadsEveryOwnersResourcesThroughTheOwnerRoutes() {
        Api.Owner acme = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(200));
        String event = Kafka.newEventId();
        Kafka.publish("repo.push", acme.name(), Kafka.event("repo.push", event, acme.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 1);
        String delivery = acme.request().get("/v2/webhooks/" + hook.id() + "/deliveries").path("data[0].id");

        String reader = Api.newOperatorKey(List.of("ops:read"));
        Api.as(reader).get("/v2/webhooks/" + hook.id()).then().statusCode(200)
                .body(Json.at("owner", equalTo(acme.name())))
                .body(not(org.hamcrest.Matchers.containsString("whsec_")));
        Api.as(reader).queryParam("owner", acme.name()).get("/v2/webhooks").then().statusCode(200)
                .body(Json.at("data.id", hasItem(hook.id())));
        Api.as(reader).get("/v2/webhooks/" + hook.id() + "/deliveries").then().statusCode(200)
                .body(Json.at("data[0].id", equalTo(delivery))).body(Json.at("data[0].owner", equalTo(acme.name())));
        Api.as(reader).get("/v2/deliveries/" + delivery).then().statusCode(200)
                .body(Json.at("attempt_log[0].response_status",
                equalTo(200)));
        Api.as(reader).get("/v2/events/" + event).then().statusCode(200).body(Json.at("owner", equalTo(acme.name())));
        assertError(Api.as(reader).get("/v2/deliveries/dlv_nosuchdelivery"), 404, "not_found");

        assertError(Api.as(reader).post("/v2/deliveries/" + delivery + "/redeliver"), 403, "insufficient_scope");
        assertError(Api.as(reader).body(Map.of("url", "https://example.com/x", "events", List.of("*")))
                .post("/v2/webhooks"), 403, "forbidden");
        String replayer = Api.newOperatorKey(List.of("ops:replay"));
        assertError(Api.as(replayer).get("/v2/deliveries/" + delivery), 403, "insufficient_scope");
        assertError(Api.as(replayer).body(Map.of("description", "mine now")).patch("/v2/webhooks/" + hook.id()),
                403, "forbidden");
        Api.as(replayer).post("/v2/deliveries/" + delivery + "/redeliver").then().statusCode(202)
                .body(Json.at("redelivery_of", equalTo(delivery)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(hook.path()).size() == 2);
    }

    @Test
    void anOwnersKeyStillSeesOnlyItsOwn() {
        Api.Owner acme = Api.newOwner();
        Api.Owner other = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(200));
        Api.hook(other, aResponse().withStatus(200));
        assertError(other.request().get("/v2/webhooks/" + hook.id()), 404, "not_found");
        assertError(other.request().post("/v2/webhooks/" + hook.id() + "/disable"), 404, "not_found");
        other.request().queryParam("owner", acme.name()).get("/v2/webhooks").then().statusCode(200)
                .body(Json.at("data.owner", not(hasItem(acme.name()))));
        assertError(other.request().get("/v2/ops/deliveries"), 403, "insufficient_scope");
        assertError(other.request().get("/v2/ops/endpoints"), 403, "insufficient_scope");
        assertError(other.request().get("/v2/ops/dead-letters"), 403, "insufficient_scope");
        assertError(other.request().get("/v2/ops/audit"), 403, "insufficient_scope");
        String replay = acme.request().body(Map.of("dry_run", true)).post("/v2/webhooks/" + hook.id() + "/replay")
                .path("id");
        assertError(other.request().post("/v2/replays/" + replay + "/cancel"), 404, "not_found");
        other.request().get("/v2/replays").then().statusCode(200).body(Json.at("data.id", not(hasItem(replay))));
        acme.request().get("/v2/replays").then().statusCode(200).body(Json.at("data.id", hasItem(replay)));
    }
}
