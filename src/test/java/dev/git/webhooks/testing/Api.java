package dev.git.webhooks.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.git.webhooks.common.Ids;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Shortcuts for tests: a fresh owner with a key, requests with a key. */
public final class Api {

    public static final String ADMIN_KEY = "test-admin-key-0123456789";
    public static final List<String> ALL_SCOPES = List.of("webhooks:read", "webhooks:write", "deliveries:read",
            "deliveries:replay");

    private Api() {
    }

    /** An owner of its own (no other test sees its resources) and an enterprise key with every scope. */
    public record Owner(String name, String key) {
        public RequestSpecification request() {
            return as(key);
        }
    }

    public static Owner newOwner() {
        String name = "org-" + Ids.random(10);
        return new Owner(name, newKey(name, ALL_SCOPES, "enterprise"));
    }

    public static String newKey(String owner, List<String> scopes, String plan) {
        return Json.at(admin().body(Map.of("owner", owner, "scopes", scopes, "plan", plan))
                .post("/v2/api-keys").then().statusCode(201).extract(), "key");
    }

    /** An operator's key (no owner) with these {@code ops:} scopes. */
    public static String newOperatorKey(List<String> scopes) {
        return Json.at(admin().body(Map.of("scopes", scopes, "plan", "enterprise", "name", "ops"))
                .post("/v2/api-keys").then().statusCode(201).extract(), "key");
    }

    public static RequestSpecification admin() {
        return as(ADMIN_KEY);
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** A webhook of {@code owner} for every event, at a fresh receiver path that answers {@code answer}. */
    public record Hook(String path, String id) {
    }

    public static Hook hook(Owner owner, ResponseDefinitionBuilder answer) {
        String path = Receivers.newPath();
        Receivers.server().stubFor(WireMock.post(WireMock.urlEqualTo(path)).willReturn(answer));
        return new Hook(path, createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*"))));
    }

    public static String createWebhook(Owner owner, Map<String, Object> body) {
        return Json.at(owner.request().body(body).post("/v2/webhooks").then().statusCode(201).extract(), "id");
    }
}
