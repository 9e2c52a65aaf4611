package dev.git.webhooks.verify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.signing.Signatures;
import dev.git.webhooks.signing.SigningSecret;
import dev.git.webhooks.testing.Signing;

/**
 * The test vectors of docs/verifying-webhooks.md are what the service's signing code makes (and what an
 * independent computation from the contract makes), and the receivers' verifier accepts them.
 */
class DocumentedTestVectorsTest {

    private static final Path DOC = Path.of("docs", "verifying-webhooks.md");
    private static final Pattern BLOCK = Pattern.compile("<!-- test-vector -->\\s*```text\\n(.*?)\\n```",
            Pattern.DOTALL);
    private static final Pattern LINE = Pattern.compile("^([A-Za-z0-9 -]+): +(.*)$");

    @Test
    void theDocumentedVectorsAreWhatTheServiceSends() throws IOException {
        List<Map<String, String>> vectors = vectors();
        assertThat("vectors in " + DOC, vectors.size(), greaterThanOrEqualTo(2));
        for (Map<String, String> v : vectors) {
            String secret = v.get("secret");
            byte[] body = v.get("body").getBytes(StandardCharsets.UTF_8);
            String id = v.get("webhook-id");
            long timestamp = Long.parseLong(v.get("webhook-timestamp"));
            List<SigningSecret> secrets = new ArrayList<>(List.of(new SigningSecret(secret)));
            Optional.ofNullable(v.get("previous secret")).map(SigningSecret::new).ifPresent(secrets::add);
            for (SigningSecret s : secrets) {
                assertThat("a valid secret: " + s.value(), SigningSecret.problem(s.value()), equalTo(Optional.empty()));
            }

            assertThat(Signatures.github(secrets.get(0), body), equalTo(v.get("X-Signature-256")));
            assertThat(Signing.github(secret, body), equalTo(v.get("X-Signature-256")));
            assertThat(Signatures.standard(secrets, id, timestamp, body), equalTo(v.get("webhook-signature")));
            assertThat(String.join(" ", secrets.stream().map(s -> Signing.standard(s.value(), id,
                    String.valueOf(timestamp), body)).toList()), equalTo(v.get("webhook-signature")));

            Clock then = Clock.fixed(Instant.ofEpochSecond(timestamp), ZoneOffset.UTC);
            for (SigningSecret s : secrets) {
                assertDoesNotThrow(() -> WebhookVerifier.of(s.value()).withClock(then).verifyStandard(body, id,
                        String.valueOf(timestamp), v.get("webhook-signature")));
            }
            assertDoesNotThrow(() -> WebhookVerifier.of(secret).withClock(then).verifyGithub(body,
                    v.get("X-Signature-256")));
        }
    }

    /** Each block after {@code <!-- test-vector -->}: its {@code name: value} lines. */
    private static List<Map<String, String>> vectors() throws IOException {
        List<Map<String, String>> vectors = new ArrayList<>();
        Matcher block = BLOCK.matcher(Files.readString(DOC));
        while (block.find()) {
            Map<String, String> vector = new LinkedHashMap<>();
            for (String line : block.group(1).split("\n")) {
                Matcher field = LINE.matcher(line);
                if (!field.matches()) {
                    throw new IllegalStateException("not a 'name: value' line in a test vector: " + line);
                }
                vector.put(field.group(1), field.group(2));
            }
            vectors.add(vector);
        }
        return vectors;
    }
}
