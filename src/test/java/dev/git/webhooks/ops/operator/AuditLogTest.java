package dev.git.webhooks.ops.operator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
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
        String operator = created.path("key");
        String keyId = created.path("id");

        Api.as(operator).post("/v2/webhooks/" + hook.id() + "/disable").then().statusCode(200)
                .body("status", equalTo("disabled")).body("disabled_reason", equalTo("operator"));
        Api.as(operator).body(Map.of()).post("/v2/webhooks/" + hook.id() + "/enable").then().statusCode(200);
        Api.as(operator).post("/v2/deliveries/dlv_missing/redeliver").then().statusCode(404);
        Api.as(operator).get("/v2/webhooks/" + hook.id()).then().statusCode(200);
        acme.request().post("/v2/webhooks/" + hook.id() + "/disable").then().statusCode(200);

        Response log = Api.as(operator).queryParam("target", hook.id()).get("/v2/ops/audit");
        log.then().statusCode(200).body("data", hasSize(2))
                .body("data[0].id", startsWith("aud_")).body("data[0].action", equalTo("webhook.enable"))
                .body("data[0].result", equalTo("succeeded")).body("data[0].status", equalTo(200))
                .body("data[1].action", equalTo("webhook.disable")).body("data[1].method", equalTo("POST"))
                .body("data[1].path", equalTo("/v2/webhooks/" + hook.id() + "/disable"))
                .body("data[1].at", notNullValue()).body("data[1].finished_at", notNullValue());
        assertThat(log.<List<String>>path("data.key_id"), equalTo(List.of(keyId, keyId)));
        Api.as(operator).queryParam("target", "dlv_missing").get("/v2/ops/audit").then()
                .body("data", hasSize(1)).body("data[0].action", equalTo("delivery.redeliver"))
                .body("data[0].result", equalTo("refused")).body("data[0].status", equalTo(404));

        String reader = Api.newOperatorKey(List.of("ops:read"));
        Api.as(reader).post("/v2/webhooks/" + hook.id() + "/enable").then().statusCode(403);
        Api.as(operator).queryParam("action", "webhook.enable").queryParam("target", hook.id())
                .get("/v2/ops/audit").then().body("data", hasSize(2))
                .body("data[0].result", equalTo("refused")).body("data[0].status", equalTo(403));
    }
}
