package dev.git.webhooks.api;

import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class ApiKeyResourceTest {

    @Inject
    DataSource dataSource;

    @Test
    void createsAKeyAndShowsItOnce() throws Exception {
        String owner = "org-" + Ids.random(8);
        Response created = Api.admin().body(Map.of("owner", owner, "name", "ci", "plan", "pro",
                "scopes", List.of("webhooks:read", "deliveries:read"))).post("/v2/api-keys");
        created.then().statusCode(201)
                .body(Json.at("id", startsWith("key_")))
                .body(Json.at("key", startsWith("gdw_")))
                .body(Json.at("owner", equalTo(owner)))
                .body(Json.at("scopes", equalTo(List.of("webhooks:read", "deliveries:read"))))
                .body(Json.at("plan", equalTo("pro")))
                .body(Json.at("rate_limit", equalTo(600)))
                .body(Json.at("created_at", notNullValue()));
        String key = Json.at(created, "key");

        Api.admin().queryParam("owner", owner).get("/v2/api-keys").then().statusCode(200)
                .body(Json.at("data", hasSize(1)))
                .body(Json.at("data[0].id", equalTo(Json.at(created, "id"))))
                .body(Json.at("data[0].key", nullValue()))
                .body(Json.at("data[0].key_prefix", equalTo(key.substring(0, 10))));

        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement("select key_hash from api_key where id = ?")) {
            statement.setString(1, Json.at(created, "id"));
            var rows = statement.executeQuery();
            rows.next();
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            assertThat(MessageDigest.isEqual(rows.getBytes(1), expected), equalTo(true));
        }
        Api.as(key).get("/v2/webhooks").then().statusCode(200);
    }

    @Test
    void aKeyRevokedTwiceAtOnceIsRevokedOnceAndTheOtherIsToldItIsGone() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = Api.admin().body(Map.of("owner", "acme", "scopes", List.of("webhooks:read")))
                    .post("/v2/api-keys").then().statusCode(201).extract().as(Json.Doc.class).at("id");
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                var answers = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
                for (int i = 0; i < 4; i++) {
                    answers.add(pool.submit(() -> Api.admin().delete("/v2/api-keys/" + id).statusCode()));
                }
                List<Integer> statuses = new java.util.ArrayList<>();
                for (var answer : answers) {
                    statuses.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
                java.util.Collections.sort(statuses);
                assertThat("one revocation, the others find it gone", statuses, equalTo(List.of(204, 404, 404, 404)));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void plansSetTheRateLimit() {
        for (var plan : Map.of("free", 60, "pro", 600, "enterprise", 5000).entrySet()) {
            Api.admin().body(Map.of("owner", "acme", "plan", plan.getKey(), "scopes", List.of("webhooks:read")))
                    .post("/v2/api-keys").then().statusCode(201).body(Json.at("rate_limit", equalTo(plan.getValue())));
        }
        Api.admin().body(Map.of("owner", "acme", "scopes", List.of("webhooks:read")))
                .post("/v2/api-keys").then().statusCode(201).body(Json.at("plan", equalTo("free")));
        Api.admin().body(Map.of("owner", "acme", "plan", "enterprise", "rate_limit", 1200,
                "scopes", List.of("webhooks:read"))).post("/v2/api-keys").then().statusCode(201)
                .body(Json.at("rate_limit", equalTo(1200)));
    }

    @Test
    void refusesInvalidKeys() {
        assertInvalid(Api.admin().body(Map.of("scopes", List.of("webhooks:read"))).post("/v2/api-keys"), "owner");
        assertInvalid(Api.admin().body(Map.of("owner", "bad owner!", "scopes", List.of("webhooks:read")))
                .post("/v2/api-keys"), "owner");
        assertInvalid(Api.admin().body(Map.of("owner", "acme")).post("/v2/api-keys"), "scopes");
        assertInvalid(Api.admin().body(Map.of("owner", "acme", "scopes", List.of("root")))
                .post("/v2/api-keys"), "scopes");
        assertInvalid(Api.admin().body(Map.of("owner", "acme", "scopes", List.of("webhooks:read"), "plan", "gold"))
                .post("/v2/api-keys"), "plan");
        assertInvalid(Api.admin().body(Map.of("owner", "acme", "scopes", List.of("webhooks:read"), "plan", "free",
                "rate_limit", 100)).post("/v2/api-keys"), "rate_limit");
        assertInvalid(Api.admin().body(Map.of("owner", "acme", "scopes", List.of("webhooks:read"),
                "plan", "enterprise", "rate_limit", 5001)).post("/v2/api-keys"), "rate_limit");
        Response both = Api.admin().body(Map.of("owner", "", "scopes", List.of())).post("/v2/api-keys");
        assertInvalid(both, "owner");
        assertInvalid(both, "scopes");
    }

    @Test
    void listsKeysAcrossPages() {
        String owner = "org-" + Ids.random(8);
        for (int i = 0; i < 3; i++) {
            Api.newKey(owner, List.of("webhooks:read"), "free");
        }
        Response first = Api.admin().queryParam("owner", owner).queryParam("limit", 2).get("/v2/api-keys");
        first.then().statusCode(200).body(Json.at("data", hasSize(2)))
                .body(Json.at("pagination.has_more", equalTo(true)));
        Api.admin().queryParam("owner", owner).queryParam("limit", 2)
                .queryParam("cursor", Json.<String>at(first, "pagination.next_cursor")).get("/v2/api-keys")
                .then().statusCode(200).body(Json.at("data", hasSize(1)))
                .body(Json.at("pagination.has_more", equalTo(false)))
                .body(Json.at("pagination.next_cursor", nullValue()));
    }
}
