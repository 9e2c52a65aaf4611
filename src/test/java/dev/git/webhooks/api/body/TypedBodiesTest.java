package dev.git.webhooks.api.body;

import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Typed bodies keep the strictness of the hand checks: no coercion between JSON types, no null in a list, an absent
 * PATCH field differs from a null one, and each refusal names the field with the message the hand checks gave.
 */
@QuarkusTest
class TypedBodiesTest {

    private static final String URL = "http://127.0.0.1:9/typed";

    private Api.Owner owner;
    private String webhook;

    @BeforeEach
    void webhook() {
        owner = Api.newOwner();
        webhook = Api.createWebhook(owner, Map.of("url", URL, "events", List.of("*"), "description", "d"));
    }

    @Test
    void refusesAnotherJsonTypeWithTheFieldsRule() {
        assertMessage(create("{\"url\":\"" + URL + "\",\"events\":[\"*\"],\"description\":42}"), "description",
                "must be a string");
        assertMessage(create("{\"url\":\"" + URL + "\",\"events\":[\"*\"],\"active\":\"true\"}"), "active",
                "must be true or false");
        assertMessage(create("{\"url\":\"" + URL + "\",\"events\":[\"*\",null]}"), "events",
                "must be a list of strings");
        assertMessage(create("{\"url\":\"" + URL + "\",\"events\":[\"*\",7]}"), "events",
                "must be a list of strings");
        assertMessage(create("{\"url\":true,\"events\":[\"*\"]}"), "url", "must be a string");
        // a field of an object in a list is named by its place, with its own rule
        String header = "{\"url\":\"" + URL + "\",\"events\":[\"*\"],\"headers\":[{\"name\":\"X-A\",\"value\":\"v\",";
        assertMessage(create(header + "\"secrt\":true}]}"), "headers[0].secrt", "is not a known field");
        assertMessage(create(header + "\"secret\":\"true\"}]}"), "headers[0].secret", "must be true or false");
        assertMessage(create("{\"events\":[\"*\"]}"), "url", "is required");
        assertMessage(create("[1]"), "body", "must be a JSON object");
        for (String seconds : List.of("1.5", "\"60\"", "9223372036854775808", "true", "-1")) {
            assertInvalid(rotate("{\"grace_period_seconds\":" + seconds + "}"), "grace_period_seconds");
        }
    }

    @Test
    void patchTellsAbsentFromNull() {
        assertMessage(patch("{\"url\":null}"), "url", "is required");
        assertMessage(patch("{\"events\":null}"), "events", "is required");
        assertMessage(patch("{\"active\":null}"), "active", "must be true or false");
        assertMessage(patch("{\"description\":\"" + "x".repeat(501) + "\"}"), "description",
                "must be at most 500 characters");
        patch("{}").then().statusCode(200).body(Json.at("description", equalTo("d")))
                .body(Json.at("url", equalTo(URL)));
        patch("{\"description\":null}").then().statusCode(200).body(Json.at("description", nullValue()))
                .body(Json.at("events", equalTo(List.of("*"))));
    }

    private static void assertMessage(Response response, String field, String message) {
        assertInvalid(response, field);
        assertThat(response.asString(), Json.at(response, "error.details.fields[0].message"), equalTo(message));
    }

    private Response create(String json) {
        return owner.request().body(json).post("/v2/webhooks");
    }

    private Response patch(String json) {
        return owner.request().body(json).patch("/v2/webhooks/" + webhook);
    }

    private Response rotate(String json) {
        return owner.request().body(json).post("/v2/webhooks/" + webhook + "/rotate-secret");
    }
}
