package dev.git.webhooks.api;

import static dev.git.webhooks.testing.Errors.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Limits are counted in fixed one-minute windows, so a run that crosses a window's end sees the count restart.
 * Each test runs its requests with a fresh key; when the answers show two windows ({@code X-RateLimit-Reset}
 * changed), the run is repeated once with another fresh key: a run lasts seconds, so two in a row cannot both
 * cross a window's end. The counts asserted are then exact.
 */
@QuarkusTest
class RateLimitTest {

    @Test
    void everyAnswerCountsDownFromTheLimit() {
        List<Response> answers = inOneWindow(() -> {
            String key = Api.newKey("org-rl-" + Ids.random(6), List.of("webhooks:read"), "free");
            return List.of(Api.as(key).get("/v2/webhooks"), Api.as(key).get("/v2/webhooks/wh_missing"),
                    Api.as(key).get("/v2/webhooks"));
        });
        answers.get(0).then().statusCode(200);
        assertError(answers.get(1), 404, "not_found");
        for (int i = 0; i < answers.size(); i++) {
            answers.get(i).then().header("X-RateLimit-Limit", "60")
                    .header("X-RateLimit-Remaining", String.valueOf(60 - 1 - i));
        }
        long reset = Long.parseLong(answers.get(0).header("X-RateLimit-Reset"));
        assertThat("the end of the current minute", reset % 60, equalTo(0L));
        assertThat(reset, allOf(greaterThanOrEqualTo(Instant.now().getEpochSecond()),
                lessThanOrEqualTo(Instant.now().getEpochSecond() + 60)));
    }

    @Test
    void theSixtyFirstRequestOfAFreeKeyIsTheFirstRefused() {
        List<Response> answers = inOneWindow(() -> run(Api.newKey("org-rl-" + Ids.random(6),
                List.of("webhooks:read"), "free"), 61));
        for (int i = 0; i < 60; i++) {
            assertThat("request " + (i + 1), answers.get(i).statusCode(), equalTo(200));
        }
        Response refused = assertError(answers.get(60), 429, "rate_limited");
        refused.then().header("X-RateLimit-Limit", "60").header("X-RateLimit-Remaining", "0");
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertThat(retryAfter, allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(60)));
    }

    @Test
    void aKeysOwnLimitIsExact() {
        List<Response> answers = inOneWindow(() -> run(Api.admin().body(Map.of("owner", "org-rl", "plan",
                "enterprise", "rate_limit", 5, "scopes", List.of("webhooks:read"))).post("/v2/api-keys").then()
                .statusCode(201).extract().as(Json.Doc.class).at("key"), 7));
        for (int i = 0; i < 5; i++) {
            answers.get(i).then().statusCode(200).header("X-RateLimit-Remaining", String.valueOf(4 - i));
        }
        assertError(answers.get(5), 429, "rate_limited").then().header("X-RateLimit-Limit", "5");
        assertError(answers.get(6), 429, "rate_limited").then().header("X-RateLimit-Remaining", "0");
    }

    private static List<Response> run(String key, int requests) {
        List<Response> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answers.add(Api.as(key).get("/v2/webhooks"));
        }
        return answers;
    }

    /** The answers of a run whose requests all fell in one window, running it a second time if needed. */
    private static List<Response> inOneWindow(Supplier<List<Response>> run) {
        List<Response> answers = run.get();
        if (!oneWindow(answers)) {
            answers = run.get();
            assertThat("two runs in a row crossed a window's end", oneWindow(answers), equalTo(true));
        }
        return answers;
    }

    private static boolean oneWindow(List<Response> answers) {
        return answers.stream().map(a -> a.header("X-RateLimit-Reset")).distinct().count() == 1;
    }
}
