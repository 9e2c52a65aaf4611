package dev.git.webhooks.api.edge;

import static dev.git.webhooks.testing.Errors.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.RawHttp;
import dev.git.webhooks.testing.RawHttp.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** What the HTTP edge answers before JAX-RS: sizes, framing, media types, and the one thing it cannot answer. */
@QuarkusTest
class HttpEdgeTest {

    private static final int MIB = 1024 * 1024;

    private Map<String, String> auth;
    private String webhook;

    @BeforeEach
    void owner() {
        Api.Owner owner = Api.newOwner();
        auth = Map.of("Authorization", "Bearer " + owner.key());
        webhook = Api.createWebhook(owner, Map.of("url", "http://127.0.0.1:9/edge", "events", List.of("*")));
    }

    /** Java's HttpClient asks to upgrade to h2c on its first request; a POST with a body used to get a 500. */
    @Test
    void aJavaHttpClientThatAsksForH2cIsAnsweredInHttp11() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                        + "/v2/webhooks"))
                        .header("Authorization", auth.get("Authorization")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"url\":\"http://127.0.0.1:9/h2c\",\"events\":[\"*\"]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body(), answer.statusCode(), equalTo(201));
        assertThat(answer.version(), equalTo(HttpClient.Version.HTTP_1_1));
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithTheEnvelope() {
        String declared = "POST /v2/webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (2 * MIB) + "\r\n\r\n{\"url\":";
        assertError(RawHttp.send(declared), 413, "payload_too_large");

        byte[] chunk = ("{\"description\":\"" + "a".repeat(MIB) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("PATCH /v2/webhooks/" + webhook + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + auth.get("Authorization") + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] chunked = concat(head, chunk, "\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        Answer answer = assertError(RawHttp.send(chunked), 413, "payload_too_large");
        assertThat(answer.header("Connection"), equalTo("close"));
    }

    @Test
    void aLongRequestTargetIsRefusedWithTheEnvelope() {
        Answer answer = RawHttp.send("GET", "/v2/webhooks?cursor=" + "a".repeat(HttpEdge.MAX_URI), auth, null);
        assertError(answer, 414, "uri_too_long");
    }

    @Test
    void largeHeaderFieldsAreRefusedWithTheEnvelope() {
        Answer answer = RawHttp.send("GET", "/v2/webhooks", Map.of("X-Padding", "p".repeat(HttpEdge
                .MAX_HEADER_BYTES)), null);
        assertError(answer, 431, "headers_too_large");
    }

    @Test
    void aRequestWithoutHostIsRefusedWithTheEnvelope() {
        assertError(RawHttp.send("GET /v2/webhooks HTTP/1.1\r\nConnection: close\r\n\r\n"), 400, "bad_request");
    }

    /**
     * Refused before any handler of this service runs, so without the envelope or a request id: the HTTP codec's
     * malformed framing and its own size limits (Vert.x's invalid-request handler, which Quarkus gives no way to
     * replace), and a request target that {@code java.net.URI} cannot parse (Quarkus's root handler). Each answer is
     * the bare status with an empty body. docs/api.md lists them; this test holds the list to the truth.
     */
    @Test
    void whatTheCodecRefusesBeforeAnyHandlerIsABareStatus() {
        Map<String, Integer> bare = Map.of(
                "GET /v2/webhooks/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                "GET /v2/webhooks?limit=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                "GET /v2/web{hooks} HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                "GET /v2/webhooks HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n", 400,
                "GET /v2/webhooks HTTP/1.1\r\nHost: x\r\nX-\u0001: a\r\n\r\n", 400,
                "GET /v2/webhooks HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n", 400,
                "GET /v2/webhooks HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", 400,
                "POST /v2/webhooks HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "2\r\n{}\r\n0\r\n\r\n", 400,
                "GET /v2/webhooks?q=" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414,
                "GET /v2/webhooks HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n", 431);
        bare.forEach((request, status) -> {
            Answer answer = RawHttp.send(request);
            String seen = RawHttp.preview(request.getBytes(StandardCharsets.ISO_8859_1)) + " -> " + answer.status()
                    + " " + answer.headers() + " " + answer.text();
            assertThat(seen, answer.status(), equalTo(status));
            assertThat(seen, answer.header("X-Request-Id"), nullValue());
            assertThat(seen, answer.header("Content-Length"), equalTo("0"));
        });
    }

    @Test
    void aBodyMustBeJson() {
        String ping = "/v2/webhooks/" + webhook + "/ping";
        assertError(RawHttp.send("POST", ping, with("Content-Type", "text/plain"), bytes("hello")), 415,
                "unsupported_media_type");
        assertError(RawHttp.send("POST", ping, auth, bytes("{}")), 415, "unsupported_media_type");
        assertError(RawHttp.send("PATCH", "/v2/webhooks/" + webhook, with("Content-Type",
                "application/json; charset=utf-16"), bytes("{}")), 415, "unsupported_media_type");
        assertError(RawHttp.send("POST", "/v2/webhooks", with("Content-Type", "application/x-www-form-urlencoded"),
                bytes("url=x")), 415, "unsupported_media_type");

        assertThat("an empty POST needs no type", RawHttp.send("POST", ping, auth, new byte[0]).status(),
                equalTo(202));
        assertThat(RawHttp.send("POST", ping, auth, null).status(), equalTo(202));
        assertThat(RawHttp.send("PATCH", "/v2/webhooks/" + webhook, with("Content-Type",
                "application/json; charset=UTF-8"), bytes("{\"description\":\"ok\"}")).status(), equalTo(200));
    }

    @Test
    void anEmptyChunkedBodyIsAnEmptyBody() {
        String request = "POST /v2/webhooks/" + webhook + "/rotate-secret HTTP/1.1\r\nHost: x\r\nConnection: close"
                + "\r\nAuthorization: " + auth.get("Authorization") + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assertThat(RawHttp.send(request).status(), equalTo(200));
    }

    @Test
    void aWrongMethodOnASubResourceAnswers405WithAllow() {
        Map<String, String> allow = Map.of(
                "GET /v2/webhooks/" + webhook + "/ping", "POST, OPTIONS",
                "PUT /v2/webhooks/" + webhook + "/replay", "POST, OPTIONS",
                "GET /v2/webhooks/" + webhook + "/enable", "POST, OPTIONS",
                "DELETE /v2/webhooks/" + webhook + "/deliveries", "GET, HEAD, OPTIONS",
                "POST /v2/webhooks/" + webhook + "/deliveries", "GET, HEAD, OPTIONS",
                "GET /v2/webhooks/" + webhook + "/rotate-secret", "POST, OPTIONS",
                "GET /v2/deliveries/dlv_x/redeliver", "POST, OPTIONS",
                "PUT /v2/webhooks/" + webhook, "DELETE, GET, PATCH, HEAD, OPTIONS",
                "DELETE /v2/replays/rpl_x", "GET, HEAD, OPTIONS");
        allow.forEach((route, methods) -> {
            String[] parts = route.split(" ");
            Answer answer = RawHttp.send(parts[0], parts[1], auth, null);
            assertError(answer, 405, "method_not_allowed");
            assertThat(route, answer.header("Allow"), equalTo(methods));
        });
        assertThat(Routes.pattern("/v2/webhooks/{id}/ping").matcher("/v2/webhooks/a/b/ping").matches(),
                equalTo(false));
    }

    private Map<String, String> with(String name, String value) {
        return Map.of("Authorization", auth.get("Authorization"), name, value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
