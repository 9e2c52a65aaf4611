package dev.git.webhooks.catalog;

import static dev.git.webhooks.testing.Errors.assertError;
import static dev.git.webhooks.testing.Errors.assertInvalid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class EventTypesApiTest {

    private final EventCatalog catalog = new EventCatalog();

    @Test
    void anyKeyListsEveryTypeWithItsSchemaAndExample() {
        Response page = anyKey().get("/v2/event-types");

        page.then().statusCode(200);
        assertThat(Json.<List<String>>at(page, "data.name"), equalTo(catalog.all().stream().map(EventType::name)
                .toList()));
        assertThat(Json.<Boolean>at(page, "pagination.has_more"), equalTo(false));
        assertThat(Json.<List<String>>at(page, "data.kind"), hasItems("platform", "ping", "system"));
        Map<String, Object> push = page.path("data.find { it.name == 'repo.push' }");
        assertThat(push.get("description"), equalTo(catalog.find("repo.push").orElseThrow().description()));
        assertThat(page.<List<String>>path("data.find { it.name == 'repo.push' }.schema.required"),
                hasItems("ref", "before", "after", "pusher", "commits"));
        assertThat(page.path("data.find { it.name == 'repo.push' }.example.data.ref"), equalTo("refs/heads/main"));
    }

    @Test
    void pagesThroughTheCatalogInOrder() {
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = anyKey().queryParam("limit", 3);
            Response page = (cursor == null ? request : request.queryParam("cursor", cursor)).get("/v2/event-types");
            page.then().statusCode(200);
            names.addAll(Json.at(page, "data.name"));
            cursor = Json.at(page, "pagination.next_cursor");
            assertThat(Json.<Boolean>at(page, "pagination.has_more"), equalTo(cursor != null));
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages, equalTo((catalog.all().size() + 2) / 3));
        assertThat(names, equalTo(catalog.all().stream().map(EventType::name).toList()));
        assertInvalid(anyKey().queryParam("limit", 0).get("/v2/event-types"), "limit");
    }

    @Test
    void answersOneTypeByName() {
        anyKey().get("/v2/event-types/endpoint.disabled").then().statusCode(200);
        assertThat(anyKey().get("/v2/event-types/endpoint.disabled").path("schema.properties.reason.enum"),
                equalTo(List.of("gone", "failing", "operator", "owner")));
        assertError(anyKey().get("/v2/event-types/no.such"), 404, "not_found");
    }

    @Test
    void needsAValidKey() {
        assertError(given().get("/v2/event-types"), 401, "missing_api_key");
        assertError(given().header("Authorization", "Bearer nope").get("/v2/event-types"), 401, "invalid_api_key");
    }

    /** An owner's key with one scope that has nothing to do with webhooks: the catalog needs none. */
    private static RequestSpecification anyKey() {
        return Api.as(Api.newKey("org-catalog", List.of("deliveries:read"), "enterprise"));
    }
}
