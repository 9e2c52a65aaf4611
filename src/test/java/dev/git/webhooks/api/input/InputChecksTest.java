package dev.git.webhooks.api.input;

import static dev.git.webhooks.testing.Errors.assertError;
import static dev.git.webhooks.testing.Errors.assertInvalid;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/** Input that PostgreSQL would refuse (NUL, years it cannot store) is refused first, naming what is wrong. */
@QuarkusTest
class InputChecksTest {

    /** Every route that takes an id, as {@code METHOD path} with {@code ID} for the id. */
    static final List<String> ROUTES_WITH_IDS = List.of(
            "GET /v2/webhooks/ID", "PATCH /v2/webhooks/ID", "DELETE /v2/webhooks/ID",
            "POST /v2/webhooks/ID/rotate-secret", "POST /v2/webhooks/ID/ping", "POST /v2/webhooks/ID/enable",
            "GET /v2/webhooks/ID/deliveries", "POST /v2/webhooks/ID/replay", "GET /v2/deliveries/ID",
            "POST /v2/deliveries/ID/redeliver", "GET /v2/replays/ID", "GET /v2/events/ID",
            "DELETE /v2/api-keys/ID", "GET /v2/event-types/ID");

    private Map<String, String> auth;
    private Map<String, String> admin;
    private String webhook;

    @BeforeEach
    void owner() {
        Api.Owner owner = Api.newOwner();
        auth = Map.of("Authorization", "Bearer " + owner.key(), "Content-Type", "application/json");
        admin = Map.of("Authorization", "Bearer " + Api.ADMIN_KEY, "Content-Type", "application/json");
        webhook = Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:9/in", "events", List.of("*")));
    }

    @Test
    void anIdThatCannotExistIsNotFoundOnEveryRoute() {
        for (String route : ROUTES_WITH_IDS) {
            for (String id : List.of("wh_a%00b", "%00", "a".repeat(65), "a%2Fb", "%C3%A9t%C3%A9", "a%20b", "a:b")) {
                String[] parts = route.replace("ID", id).split(" ");
                Map<String, String> headers = parts[1].startsWith("/v2/api-keys") ? admin : auth;
                assertError(RawHttp.send(parts[0], parts[1], headers, null), 404, "not_found");
            }
        }
    }

    /** A filter misspelt, or another list's, is refused, not ignored with the whole list answered; so is a repeat. */
    @Test
    void aParameterTheRouteDoesNotTakeOrOneGivenTwiceIsNamed() {
        assertInvalid(get("/v2/webhooks/" + webhook + "/deliveries?type=repo.push", auth), "type");
        assertInvalid(get("/v2/webhooks?since=2026-01-01T00:00:00Z", auth), "since");
        assertInvalid(get("/v2/webhooks/" + webhook + "?expand=deliveries", auth), "expand");
        assertInvalid(get("/v2/webhooks/" + webhook + "/deliveries?status=failed&status=pending", auth), "status");
        assertInvalid(get("/v2/webhooks?limit=5&limit=100", auth), "limit");
        org.hamcrest.MatcherAssert.assertThat("a list parameter takes several values",
                get("/v2/events?type=repo.push&type=pr.merged", auth).status(), org.hamcrest.Matchers.equalTo(200));
        org.hamcrest.MatcherAssert.assertThat(get("/v2/webhooks/" + webhook + "/deliveries?status=failed&limit=5",
                auth).status(), org.hamcrest.Matchers.equalTo(200));
    }

    @Test
    void nulInAQueryParameterIsNamed() {
        assertInvalid(get("/v2/webhooks?cursor=%00", auth), "cursor");
        assertInvalid(get("/v2/webhooks/" + webhook + "/deliveries?event=deploy.success%00", auth), "event");
        assertInvalid(get("/v2/webhooks/" + webhook + "/deliveries?status=%00failed", auth), "status");
        assertInvalid(get("/v2/webhooks?x%00y=1", auth), "x\u0000y");
        assertInvalid(get("/v2/api-keys?owner=acme%00", admin), "owner");
        assertInvalid(get("/v2/api-keys?owner=not%20an%20owner", admin), "owner");
    }

    @Test
    void nulInABodyStringIsNamed() {
        String nul = "a\\u0000b";
        assertInvalid(send("POST", "/v2/webhooks", auth, "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"*\"],"
                + "\"description\":\"" + nul + "\"}"), "description");
        assertInvalid(send("PATCH", "/v2/webhooks/" + webhook, auth, "{\"description\":\"" + nul + "\"}"),
                "description");
        assertInvalid(send("PATCH", "/v2/webhooks/" + webhook, auth, "{\"repos\":[\"x/y\",\"" + nul + "\"]}"),
                "repos[1]");
        assertInvalid(send("POST", "/v2/webhooks/" + webhook + "/rotate-secret", auth, "{\"secret\":\"" + nul
                + "\"}"), "secret");
        assertInvalid(send("POST", "/v2/webhooks/" + webhook + "/replay", auth, "{\"status\":\"" + nul + "\"}"),
                "status");
        assertInvalid(send("POST", "/v2/webhooks/" + webhook + "/enable", auth, "{\"" + nul + "\":true}"),
                "a\u0000b");
        assertInvalid(send("POST", "/v2/api-keys", admin, "{\"owner\":\"acme\",\"name\":\"" + nul
                + "\",\"scopes\":[\"webhooks:read\"]}"), "name");
    }

    @Test
    void timesOutsideTheStorableRangeAreRefusedOnTheListAndOnReplay() {
        List<String> bad = List.of("+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
                "+294277-01-01T00:00:00Z", "2025-13-01T00:00:00Z", "2025-01-20", "2025-01-20T14:35:22+19:00",
                "yesterday", "2025-01-20T14:35:22.1234567891Z");
        String deliveries = "/v2/webhooks/" + webhook + "/deliveries";
        String replay = "/v2/webhooks/" + webhook + "/replay";
        for (String time : bad) {
            String query = time.replace("+", "%2B");
            assertInvalid(get(deliveries + "?since=" + query, auth), "since");
            assertInvalid(get(deliveries + "?until=" + query, auth), "until");
            assertInvalid(send("POST", replay, auth, "{\"dry_run\":true,\"since\":\"" + time + "\"}"), "since");
            assertInvalid(send("POST", replay, auth, "{\"dry_run\":true,\"until\":\"" + time + "\"}"), "until");
        }
        assertInvalid(send("POST", replay, auth, "{\"dry_run\":true,\"since\":20250120}"), "since");
        assertInvalid(send("POST", replay, auth, "{\"dry_run\":true,\"events\":[1]}"), "events");
        assertInvalid(send("POST", replay, auth, "{\"dry_run\":true,\"events\":[\"nope\"]}"), "events");
        assertInvalid(get(deliveries + "?event=nope", auth), "event");
    }

    @Test
    void bytesAfterTheJsonValueAreRefusedOnEveryBody() {
        String twice = "{\"x\":1}";
        assertError(send("POST", "/v2/webhooks/" + webhook + "/rotate-secret", auth,
                "{\"grace_period_seconds\":0}" + twice), 400, "malformed_json");
        assertError(send("POST", "/v2/api-keys", admin, "{\"owner\":\"acme\",\"scopes\":[\"webhooks:read\"]}"
                + twice), 400, "malformed_json");
        assertError(send("POST", "/v2/webhooks", auth, "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"*\"]} x"),
                400, "malformed_json");
        assertError(send("PATCH", "/v2/webhooks/" + webhook, auth, "{}[]"), 400, "malformed_json");
        assertError(send("POST", "/v2/webhooks/" + webhook + "/replay", auth, "{\"dry_run\":true} {"), 400,
                "malformed_json");
        assertError(send("POST", "/v2/webhooks/" + webhook + "/enable", auth, "{} 1"), 400, "malformed_json");
        assertError(send("PATCH", "/v2/webhooks/" + webhook, auth, "{\"active\":true,\"active\":false}"), 400,
                "malformed_json");
    }

    private static RawHttp.Answer get(String target, Map<String, String> headers) {
        return RawHttp.send("GET", target, Map.of("Authorization", headers.get("Authorization")), null);
    }

    private static RawHttp.Answer send(String method, String target, Map<String, String> headers, String body) {
        return RawHttp.send(method, target, headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
