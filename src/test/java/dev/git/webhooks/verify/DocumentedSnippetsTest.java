package dev.git.webhooks.verify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.signing.SigningSecret;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.DocSnippets;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Runs every verification snippet of docs/verifying-webhooks.md, as written there, against a real delivery
 * captured from the service (its exact body and headers) during a secret rotation's grace period: each must accept
 * it with the new secret and with the old one (a receiver not switched yet), and refuse it with the body tampered or
 * with a secret that never signed it. The docs cannot rot.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocumentedSnippetsTest {

    private static final Path DOC = Path.of("docs", "verifying-webhooks.md");
    private static final List<String> SENT = List.of("Content-Type", "User-Agent", "X-Signature-256",
            "X-Webhook-Event", "X-Webhook-Delivery", "X-Webhook-Attempt", "webhook-id", "webhook-timestamp",
            "webhook-signature");

    private String secret;
    private String oldSecret;
    private byte[] body;
    private Map<String, String> headers;
    private Delivery v1a;

    /** A delivery captured at the receiver, with the public key of its webhook. */
    private record Delivery(byte[] body, Map<String, String> headers, String publicKey) {
    }

    @BeforeEach
    void captureARealDelivery() {
        if (body != null) {
            return; // one capture serves every snippet
        }
        Api.Owner owner = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        Response created = owner.request().body(Map.of("url", Receivers.url(path), "events", List.of("*")))
                .post("/v2/webhooks");
        oldSecret = Json.at(created, "secret");
        // a rotation, so that the snippets also meet two signatures in webhook-signature (X-Signature-256 has one)
        secret = owner.request().body(Map.of("grace_period_seconds", 600))
                .post("/v2/webhooks/" + Json.at(created, "id") + "/rotate-secret").path("secret");
        String id = Kafka.newEventId();
        Kafka.publish("repo.push", owner.name(), ("{\"event\":\"repo.push\", \"id\":\"" + id + "\","
                + "\"timestamp\":\"2025-01-20T14:35:22Z\",\"owner\":\"" + owner.name() + "\",\"data\":"
                + "{\"message\":\"caf\u00e9 \u2603\",\"n\":1.50}}").getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 1);
        LoggedRequest delivery = Receivers.received(path).get(0);
        body = delivery.getBody();
        headers = new LinkedHashMap<>();
        SENT.forEach(h -> headers.put(h, delivery.getHeader(h)));
    }

    @Test
    void javaReceiverAcceptsTheDeliveryAndRefusesATamperedOne() throws Exception {
        Path file = DocSnippets.write(DOC, "java", "Receiver.java");
        checkReceiver(List.of(DocSnippets.javaBin(), "-cp", Path.of("target", "classes").toAbsolutePath().toString(),
                file.toString()));
    }

    @Test
    void nodeReceiverAcceptsTheDeliveryAndRefusesATamperedOne() throws Exception {
        checkReceiver(List.of("node", DocSnippets.write(DOC, "node", "receiver.js").toString()));
    }

    @Test
    void pythonReceiverAcceptsTheDeliveryAndRefusesATamperedOne() throws Exception {
        checkReceiver(List.of("python3", DocSnippets.write(DOC, "python", "receiver.py").toString()));
    }

    @Test
    void shellCheckAcceptsTheDeliveryAndRefusesATamperedOne() throws Exception {
        Path script = DocSnippets.write(DOC, "shell", "check.sh");
        assertThat(runShell(script, secret, body), equalTo(0));
        assertThat("a receiver that still has the old secret", runShell(script, oldSecret, body), equalTo(0));
        assertThat(runShell(script, secret, tampered()), equalTo(1));
        assertThat(runShell(script, SigningSecret.generate().value(), body), equalTo(1));
        assertThat("without webhook-signature, though X-Signature-256 is valid",
                runShell(script, secret, body, withoutStandardHeaders()), equalTo(1));
    }

    /** The delivery's headers without the three {@code webhook-*} ones: a captured request stripped of them. */
    private Map<String, String> withoutStandardHeaders() {
        Map<String, String> stripped = new LinkedHashMap<>(headers);
        stripped.keySet().removeIf(name -> name.startsWith("webhook-"));
        assertThat(stripped.get("X-Signature-256"), notNullValue());
        return stripped;
    }

    @Test
    void nodeV1aReceiverAcceptsTheDeliveryAndRefusesATamperedOne() throws Exception {
        checkV1aReceiver(List.of("node", DocSnippets.write(DOC, "node-v1a", "receiver.js").toString()));
    }

    @Test
    void javaV1aReceiverAcceptsTheDeliveryAndRefusesATamperedOne() throws Exception {
        checkV1aReceiver(List.of(DocSnippets.javaBin(), DocSnippets.write(DOC, "java-v1a", "Receiver.java")
                .toString()));
    }

    private void checkV1aReceiver(List<String> command) throws Exception {
        Delivery delivery = v1aDelivery();
        DocSnippets.withReceiver(command, Map.of("WEBHOOK_PUBLIC_KEY", delivery.publicKey()), port -> {
            assertThat("the real delivery verifies with the public key",
                    DocSnippets.send(port, delivery.body(), delivery.headers()), equalTo(204));
            assertThat("a tampered body is refused", DocSnippets.send(port, tampered(delivery.body()),
                    delivery.headers()), equalTo(400));
        });
        // another webhook's public key: the delivery's signatures (v1 and v1a) do not verify with it
        String other = Api.newOwner().request().body(Map.of("url", Receivers.url(Receivers.newPath()), "events",
                List.of("*"), "signature_schemes", List.of("v1a"))).post("/v2/webhooks").path("public_key");
        DocSnippets.withReceiver(command, Map.of("WEBHOOK_PUBLIC_KEY", other), port -> assertThat(
                "another key is refused", DocSnippets.send(port, delivery.body(), delivery.headers()),
                equalTo(400)));
    }

    /** A real delivery to a webhook signed with v1 and v1a, captured once. */
    private Delivery v1aDelivery() {
        if (v1a != null) {
            return v1a;
        }
        Api.Owner owner = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        String publicKey = owner.request().body(Map.of("url", Receivers.url(path), "events", List.of("*"),
                "signature_schemes", List.of("v1", "v1a"))).post("/v2/webhooks").path("public_key");
        String id = Kafka.newEventId();
        Kafka.publish("repo.push", owner.name(), ("{\"event\":\"repo.push\", \"id\":\"" + id + "\","
                + "\"timestamp\":\"2025-01-20T14:35:22Z\",\"owner\":\"" + owner.name() + "\",\"data\":"
                + "{\"message\":\"caf\u00e9 \u2603\",\"n\":1.50}}").getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 1);
        LoggedRequest delivery = Receivers.received(path).get(0);
        Map<String, String> sent = new LinkedHashMap<>();
        SENT.forEach(h -> sent.put(h, delivery.getHeader(h)));
        v1a = new Delivery(delivery.getBody(), sent, publicKey);
        return v1a;
    }

    @Test
    void theDocsShowTheUserAgentThatIsSent() throws IOException {
        String sent = headers.get("User-Agent");
        int shown = 0;
        for (String doc : List.of("events.md", "api.md", "verifying-webhooks.md")) {
            Matcher agent = Pattern.compile("git\\.dev-Webhooks/[0-9A-Za-z.<>-]+").matcher(
                    Files.readString(Path.of("docs", doc)));
            while (agent.find()) {
                assertThat(doc + " shows the User-Agent sent", agent.group(), equalTo(sent));
                shown++;
            }
        }
        assertThat("the docs show the User-Agent", shown >= 3, equalTo(true));
    }

    private void checkReceiver(List<String> command) throws Exception {
        DocSnippets.withReceiver(command, secret, port -> {
            assertThat("the real delivery verifies", DocSnippets.send(port, body, headers), equalTo(204));
            assertThat("a tampered body is refused", DocSnippets.send(port, tampered(), headers), equalTo(400));
            assertThat("the real delivery with its webhook-* headers stripped is refused, though its "
                    + "X-Signature-256 is valid (it would verify for ever)", DocSnippets.send(port, body,
                    withoutStandardHeaders()), equalTo(400));
        });
        DocSnippets.withReceiver(command, oldSecret, port -> assertThat("a receiver that still has the old secret "
                + "verifies it during the grace period", DocSnippets.send(port, body, headers), equalTo(204)));
        DocSnippets.withReceiver(command, SigningSecret.generate().value(), port -> assertThat(
                "a secret that never signed it is refused", DocSnippets.send(port, body, headers), equalTo(400)));
    }

    private int runShell(Path script, String secret, byte[] content) throws Exception {
        return runShell(script, secret, content, headers);
    }

    private int runShell(Path script, String secret, byte[] content, Map<String, String> headers) throws Exception {
        Path dir = Files.createTempDirectory("snippet-shell-");
        Files.write(dir.resolve("body.json"), content);
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
        builder.environment().put("WEBHOOK_SECRET", secret);
        builder.environment().put("X_SIGNATURE_256", headers.get("X-Signature-256"));
        builder.environment().put("WEBHOOK_ID", headers.getOrDefault("webhook-id", ""));
        builder.environment().put("WEBHOOK_TIMESTAMP", headers.getOrDefault("webhook-timestamp", ""));
        builder.environment().put("WEBHOOK_SIGNATURE", headers.getOrDefault("webhook-signature", ""));
        Process process = builder.start();
        return process.waitFor();
    }

    private byte[] tampered() {
        return tampered(body);
    }

    private static byte[] tampered(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).replace("\"n\":1.50", "\"n\":9.50")
                .getBytes(StandardCharsets.UTF_8);
    }
}
