package dev.git.webhooks.api;

import static dev.git.webhooks.testing.Errors.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class RateLimitTest {

    @Test
    void everyAnswerCarriesTheLimitHeaders() {
        String key = Api.newKey("org-rl", List.of("webhooks:read"), "free");
        Response first = Api.as(key).get("/v2/webhooks");
        first.then().statusCode(200).header("X-RateLimit-Limit", "60");
        int remaining = Integer.parseInt(first.header("X-RateLimit-Remaining"));
        long reset = Long.parseLong(first.header("X-RateLimit-Reset"));
        assertThat(reset, allOf(greaterThan(Instant.now().getEpochSecond() - 1),
                lessThanOrEqualTo(Instant.now().getEpochSecond() + 61)));
        Response second = Api.as(key).get("/v2/webhooks/wh_missing");
        assertError(second, 404, "not_found");
        second.then().header("X-RateLimit-Limit", "60");
        int after = Integer.parseInt(second.header("X-RateLimit-Remaining"));
        // both requests fall in the same minute, unless the window turned between them
        assertThat(after == remaining - 1 || after == 59, equalTo(true));
    }

    @Test
    void answers429PastTheLimit() {
        String key = Api.admin().body(Map.of("owner", "org-rl", "plan", "enterprise", "rate_limit", 5,
                "scopes", List.of("webhooks:read"))).post("/v2/api-keys").then().statusCode(201).extract().path("key");
        Response last = null;
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            last = Api.as(key).get("/v2/webhooks");
            if (last.statusCode() == 429) {
                limited++;
                break;
            }
        }
        assertThat("the sixth request of a minute is refused", limited, equalTo(1));
        assertError(last, 429, "rate_limited");
        last.then().header("X-RateLimit-Limit", "5").header("X-RateLimit-Remaining", "0");
        int retryAfter = Integer.parseInt(last.header("Retry-After"));
        assertThat(retryAfter, allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(60)));
        assertThat(Long.parseLong(last.header("X-RateLimit-Reset")),
                greaterThanOrEqualTo(Instant.now().getEpochSecond()));
    }
}
