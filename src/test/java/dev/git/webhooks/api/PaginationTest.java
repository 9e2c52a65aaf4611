package dev.git.webhooks.api;

import static dev.git.webhooks.testing.Errors.assertInvalid;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class PaginationTest {

    @Test
    void pagesStayStableWhileRowsAreInserted() {
        Api.Owner owner = Api.newOwner();
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            existing.add(0, create(owner, i));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = owner.request().queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/v2/webhooks");
            page.then().statusCode(200);
            seen.addAll(Json.at(page, "data.id"));
            cursor = Json.at(page, "pagination.next_cursor");
            assertThat(Json.at(page, "pagination.has_more"), equalTo(cursor != null));
            create(owner, 100 + pages); // a concurrent insert between pages
            pages++;
        } while (cursor != null);

        assertThat("newest first, each once", seen, equalTo(existing));
        assertThat(new HashSet<>(seen).size(), equalTo(seen.size()));
        assertThat(pages, equalTo(3));
    }

    @Test
    void defaultsToThirtyAndCapsAtAHundred() {
        Api.Owner owner = Api.newOwner();
        for (int i = 0; i < 31; i++) {
            create(owner, i);
        }
        owner.request().get("/v2/webhooks").then().statusCode(200).body(Json.at("data", hasSize(30)))
                .body(Json.at("pagination.has_more", equalTo(true)));
        owner.request().queryParam("limit", 100).get("/v2/webhooks").then().statusCode(200)
                .body(Json.at("data", hasSize(31)))
                .body(Json.at("pagination.has_more", equalTo(false)));
    }

    @Test
    void refusesABadLimitOrCursor() {
        Api.Owner owner = Api.newOwner();
        for (String limit : List.of("0", "101", "-1", "ten", "1.5")) {
            assertInvalid(owner.request().queryParam("limit", limit).get("/v2/webhooks"), "limit");
        }
        for (String cursor : List.of("garbage", "djE6LTE", "%%%")) {
            assertInvalid(owner.request().queryParam("cursor", cursor).get("/v2/webhooks"), "cursor");
        }
    }

    private static String create(Api.Owner owner, int n) {
        return Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:9/h" + n, "events", List.of("*")));
    }
}
