package dev.git.webhooks.verify;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayContaining;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.Signing;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * During a rotation's grace period, real deliveries verify with the verifiers receivers already run, given the
 * headers unchanged: the stock {@code @octokit/webhooks-methods} {@code verify} (installed from npm by this test) and
 * GitHub's documented check (the whole {@code X-Signature-256} value compared with one expected value), with the new
 * secret; the Standard Webhooks header carries both secrets until the grace period ends, then only the new one.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StockVerifiersTest {

    private static final Path NPM = Path.of("target", "npm").toAbsolutePath();
    private static final String OCTOKIT = "@octokit/webhooks-methods@6.0.0";

    @BeforeAll
    void installTheStockVerifier() throws Exception {
        if (!Files.exists(NPM.resolve("node_modules/@octokit/webhooks-methods/package.json"))) {
            Files.createDirectories(NPM);
            int exit;
            try {
                exit = run(List.of("npm", "install", "--prefix", NPM.toString(), "--no-audit", "--no-fund", OCTOKIT),
                        Map.of(), Duration.ofMinutes(3));
            } catch (IOException e) {
                exit = -1;
            }
            if (exit != 0) {
                fail("npm is needed to install the stock verifier " + OCTOKIT + " (CI has it): 'npm install' "
                        + (exit == -1 ? "could not start" : "exited with " + exit) + "; see " + NPM.resolve("npm.log"));
            }
        }
        copyResource("octokit-verify.mjs", NPM.resolve("octokit-verify.mjs"));
        copyResource("github-reference-check.py", NPM.resolve("github-reference-check.py"));
    }

    @Test
    void stockVerifiersAcceptEveryDeliveryDuringAGracePeriodWithTheNewSecret() throws Exception {
        Api.Owner owner = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(WireMock.post(WireMock.urlEqualTo(path)).willReturn(WireMock.aResponse()
                .withStatus(204)));
        Response created = owner.request().body(Map.of("url", Receivers.url(path), "events", List.of("*")))
                .post("/v2/webhooks");
        String old = Json.at(created, "secret");
        String fresh = newSecret();
        Response rotated = rotate(owner, Json.at(created, "id"), fresh, 600);
        assertThat("the given secret is the new one", Json.at(rotated, "secret"), equalTo(fresh));

        for (String body : List.of(event(owner, "plain"), event(owner, "caf\u00e9 \u2603 \\\"q\\\""))) {
            LoggedRequest delivery = deliver(owner, path, body);
            byte[] payload = delivery.getBody();
            String header = delivery.getHeader("X-Signature-256");
            assertThat("one value in X-Signature-256", header, not(containsString(" ")));
            assertThat(header, equalTo(Signing.github(fresh, payload)));
            assertThat("octokit verify, new secret", stock("node", "octokit-verify.mjs", fresh, payload, header),
                    equalTo(0));
            assertThat("GitHub's check, new secret", stock("python3", "github-reference-check.py", fresh, payload,
                    header), equalTo(0));
            assertThat("octokit verify refuses the old secret", stock("node", "octokit-verify.mjs", old, payload,
                    header), equalTo(1));

            String id = delivery.getHeader("webhook-id");
            String timestamp = delivery.getHeader("webhook-timestamp");
            assertThat(delivery.getHeader("webhook-signature").split(" "), arrayContaining(
                    Signing.standard(fresh, id, timestamp, payload), Signing.standard(old, id, timestamp, payload)));
            Map<String, String> headers = Map.of("webhook-id", id, "webhook-timestamp", timestamp,
                    "webhook-signature", delivery.getHeader("webhook-signature"));
            assertDoesNotThrow(() -> WebhookVerifier.of(old).verify(payload, headers),
                    "a receiver still on the old secret verifies webhook-signature");
        }
    }

    @Test
    void theOldSecretStopsSigningWhenTheGracePeriodEnds() {
        Api.Owner owner = Api.newOwner();
        Api.Hook hook = Api.hook(owner, WireMock.aResponse().withStatus(204));
        String fresh = newSecret();
        Response rotated = rotate(owner, hook.id(), fresh, 1);
        Instant expires = Instant.parse(Json.at(rotated, "previous_secret_expires_at"));
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(expires.plusMillis(100)));

        LoggedRequest delivery = deliver(owner, hook.path(), event(owner, "after the grace period"));
        byte[] payload = delivery.getBody();
        assertThat(delivery.getHeader("X-Signature-256"), equalTo(Signing.github(fresh, payload)));
        assertThat("only the new secret's entry is left", delivery.getHeader("webhook-signature"), equalTo(
                Signing.standard(fresh, delivery.getHeader("webhook-id"), delivery.getHeader("webhook-timestamp"),
                        payload)));
    }

    private static Response rotate(Api.Owner owner, String id, String secret, int graceSeconds) {
        Response rotated = owner.request().body(Map.of("secret", secret, "grace_period_seconds", graceSeconds))
                .post("/v2/webhooks/" + id + "/rotate-secret");
        rotated.then().statusCode(200);
        return rotated;
    }

    private static String newSecret() {
        return "whsec_" + Base64.getEncoder().encodeToString(Ids.randomBytes(32));
    }

    private static String event(Api.Owner owner, String message) {
        return "{\"event\":\"repo.push\",\"id\":\"" + Kafka.newEventId() + "\",\"timestamp\":\"2025-01-20T14:35:22Z\","
                + "\"owner\":\"" + owner.name() + "\",\"data\":{\"message\":\"" + message + "\",\"n\":1.50}}";
    }

    private static LoggedRequest deliver(Api.Owner owner, String path, String body) {
        int before = Receivers.received(path).size();
        Kafka.publish("repo.push", owner.name(), body);
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == before + 1);
        LoggedRequest delivery = Receivers.received(path).get(before);
        assertThat(delivery.getBody(), equalTo(body.getBytes(StandardCharsets.UTF_8)));
        return delivery;
    }

    /** Runs a stock verifier with the secret, the raw body and the header as received; answers its exit code. */
    private static int stock(String interpreter, String script, String secret, byte[] payload, String header)
            throws Exception {
        Path body = Files.createTempFile(NPM, "body-", ".json");
        try {
            Files.write(body, payload);
            return run(List.of(interpreter, NPM.resolve(script).toString(), body.toString()),
                    Map.of("SECRET", secret, "SIGNATURE", header), Duration.ofSeconds(30));
        } finally {
            Files.deleteIfExists(body);
        }
    }

    private static int run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(NPM.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(NPM.resolve("npm.log").toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeout);
        }
        return process.exitValue();
    }

    private static void copyResource(String name, Path to) throws IOException {
        try (InputStream in = StockVerifiersTest.class.getResourceAsStream("/verifiers/" + name)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
