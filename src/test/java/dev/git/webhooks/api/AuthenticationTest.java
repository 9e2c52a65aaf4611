package dev.git.webhooks.api;

import static dev.git.webhooks.testing.Errors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AuthenticationTest {

    @Test
    void refusesARequestWithoutKey() {
        assertError(given().get("/v2/webhooks"), 401, "missing_api_key")
                .then().header("WWW-Authenticate", "Bearer");
    }

    @Test
    void refusesAWrongKey() {
        assertError(Api.as("gdw_not-a-key").get("/v2/webhooks"), 401, "invalid_api_key");
        assertError(given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/v2/webhooks"), 401,
                "invalid_api_key");
    }

    @Test
    void refusesAKeyWithoutTheRouteScope() {
        String owner = "org-readonly";
        String key = Api.newKey(owner, List.of("webhooks:read"), "free");
        Api.as(key).get("/v2/webhooks").then().statusCode(200);
        assertError(Api.as(key).body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("*")))
                .post("/v2/webhooks"), 403, "insufficient_scope")
                .then().body(Json.at("error.details.required_scope", equalTo("webhooks:write")));
    }

    @Test
    void ownerKeysCannotManageKeys() {
        Api.Owner owner = Api.newOwner();
        assertError(owner.request().get("/v2/api-keys"), 403, "forbidden");
        assertError(owner.request().body(Map.of("owner", owner.name(), "scopes", List.of("webhooks:read")))
                .post("/v2/api-keys"), 403, "forbidden");
    }

    @Test
    void theAdminKeyManagesKeysOnly() {
        assertError(Api.admin().get("/v2/webhooks"), 403, "forbidden");
    }

    @Test
    void aRevokedKeyStopsWorking() {
        Api.Owner owner = Api.newOwner();
        owner.request().get("/v2/webhooks").then().statusCode(200);
        String id = Api.admin().queryParam("owner", owner.name()).get("/v2/api-keys").then().statusCode(200)
                .extract().as(Json.Doc.class).at("data[0].id");
        Api.admin().delete("/v2/api-keys/" + id).then().statusCode(204);
        assertError(owner.request().get("/v2/webhooks"), 401, "invalid_api_key");
        assertError(Api.admin().delete("/v2/api-keys/" + id), 404, "not_found");
    }
}
