package dev.git.webhooks.verify;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.verify.WebhookVerificationException.Reason;

/** Fixed vectors: the Standard Webhooks reference vector, and GitHub-style signatures computed by hand. */
class WebhookVerifierTest {

    // The Standard Webhooks libraries' test vector.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    // HMAC-SHA256(key = SECRET as UTF-8, message = BODY), lowercase hex; computed with `openssl dgst -sha256 -hmac`.
    private static final String GITHUB = "sha256=80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c";
    private static final Clock AT_VECTOR = Clock.fixed(Instant.ofEpochSecond(1614265330 + 30), ZoneOffset.UTC);

    private final WebhookVerifier verifier = WebhookVerifier.of(SECRET).withClock(AT_VECTOR);

    @Test
    void acceptsTheReferenceVector() {
        assertDoesNotThrow(() -> verifier.verifyStandard(BODY, ID, TIMESTAMP, SIGNATURE));
        assertDoesNotThrow(() -> verifier.verify(BODY, Map.of("Webhook-Id", ID, "Webhook-Timestamp", TIMESTAMP,
                "Webhook-Signature", SIGNATURE)));
    }

    @Test
    void acceptsGithubStyleSignatures() {
        assertDoesNotThrow(() -> verifier.verifyGithub(BODY, GITHUB));
    }

    @Test
    void verifyNeverFallsBackToTheSignatureWithoutATimestamp() {
        // a captured request with its webhook-* headers stripped: X-Signature-256 is valid, and would be for ever
        assertEquals(Reason.MISSING_HEADER, reason(() -> verifier.verify(BODY, Map.of("x-signature-256", GITHUB))));
        assertEquals(Reason.MISSING_HEADER, reason(() -> verifier.verify(BODY, Map.of("x-signature-256", GITHUB,
                "webhook-id", ID, "webhook-timestamp", TIMESTAMP))));
        // stale: refused for its timestamp, whatever X-Signature-256 says
        WebhookVerifier late = WebhookVerifier.of(SECRET).withClock(Clock.fixed(Instant.ofEpochSecond(1614265330)
                .plus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        assertEquals(Reason.TIMESTAMP_OUT_OF_TOLERANCE, reason(() -> late.verify(BODY, Map.of("x-signature-256",
                GITHUB, "webhook-id", ID, "webhook-timestamp", TIMESTAMP, "webhook-signature", SIGNATURE))));
    }

    @Test
    void refusesATamperedBody() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.SIGNATURE_MISMATCH, reason(() -> verifier.verifyStandard(tampered, ID, TIMESTAMP,
                SIGNATURE)));
        assertEquals(Reason.SIGNATURE_MISMATCH, reason(() -> verifier.verifyGithub(tampered, GITHUB)));
        byte[] reserialised = "{\"test\":2432232314}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.SIGNATURE_MISMATCH, reason(() -> verifier.verifyGithub(reserialised, GITHUB)));
    }

    @Test
    void refusesTheWrongSecret() {
        WebhookVerifier wrong = WebhookVerifier.of("whsec_" + java.util.Base64.getEncoder().encodeToString(
                new byte[32])).withClock(AT_VECTOR);
        assertEquals(Reason.SIGNATURE_MISMATCH, reason(() -> wrong.verifyStandard(BODY, ID, TIMESTAMP, SIGNATURE)));
        assertEquals(Reason.SIGNATURE_MISMATCH, reason(() -> wrong.verifyGithub(BODY, GITHUB)));
    }

    @Test
    void refusesAnotherMessageIdOrTimestamp() {
        assertEquals(Reason.SIGNATURE_MISMATCH, reason(() -> verifier.verifyStandard(BODY, "msg_other", TIMESTAMP,
                SIGNATURE)));
        assertEquals(Reason.SIGNATURE_MISMATCH, reason(() -> verifier.verifyStandard(BODY, ID, "1614265331",
                SIGNATURE)));
    }

    @Test
    void refusesStaleAndFutureTimestamps() {
        WebhookVerifier late = WebhookVerifier.of(SECRET).withClock(Clock.fixed(Instant.ofEpochSecond(1614265330)
                .plus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        assertEquals(Reason.TIMESTAMP_OUT_OF_TOLERANCE, reason(() -> late.verifyStandard(BODY, ID, TIMESTAMP,
                SIGNATURE)));
        WebhookVerifier early = WebhookVerifier.of(SECRET).withClock(Clock.fixed(Instant.ofEpochSecond(1614265330)
                .minus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        assertEquals(Reason.TIMESTAMP_OUT_OF_TOLERANCE, reason(() -> early.verifyStandard(BODY, ID, TIMESTAMP,
                SIGNATURE)));
        assertDoesNotThrow(() -> late.withTolerance(Duration.ofMinutes(10)).verifyStandard(BODY, ID, TIMESTAMP,
                SIGNATURE));
    }

    @Test
    void acceptsAnyOfSeveralSignaturesAndSecrets() {
        String other = "v1," + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertDoesNotThrow(() -> verifier.verifyStandard(BODY, ID, TIMESTAMP, other + " " + SIGNATURE));
        assertDoesNotThrow(() -> verifier.verifyStandard(BODY, ID, TIMESTAMP, SIGNATURE + " " + other));
        assertDoesNotThrow(() -> verifier.verifyGithub(BODY, "sha256=" + "00".repeat(32) + " " + GITHUB));
        WebhookVerifier rolling = WebhookVerifier.of("whsec_" + java.util.Base64.getEncoder().encodeToString(
                new byte[32]), SECRET).withClock(AT_VECTOR);
        assertDoesNotThrow(() -> rolling.verifyStandard(BODY, ID, TIMESTAMP, SIGNATURE));
        assertDoesNotThrow(() -> verifier.verifyStandard(BODY, ID, TIMESTAMP, "v1a,bm90LW91cnM= " + SIGNATURE));
    }

    @Test
    void saysWhatIsMissingOrMalformed() {
        assertEquals(Reason.MISSING_HEADER, reason(() -> verifier.verify(BODY, Map.of())));
        assertEquals(Reason.MISSING_HEADER, reason(() -> verifier.verifyStandard(BODY, null, TIMESTAMP, SIGNATURE)));
        assertEquals(Reason.MISSING_HEADER, reason(() -> verifier.verifyStandard(BODY, ID, null, SIGNATURE)));
        assertEquals(Reason.MALFORMED_HEADER, reason(() -> verifier.verifyStandard(BODY, ID, "soon", SIGNATURE)));
        assertEquals(Reason.MALFORMED_HEADER, reason(() -> verifier.verifyStandard(BODY, ID, TIMESTAMP, "nocomma")));
        assertEquals(Reason.MALFORMED_HEADER, reason(() -> verifier.verifyGithub(BODY, "md5=abc")));
        assertEquals(Reason.MALFORMED_HEADER, reason(() -> verifier.verifyGithub(BODY, "sha256=zz")));
        assertThrows(IllegalArgumentException.class, () -> WebhookVerifier.of("not-a-secret"));
    }

    private interface Check {
        void run() throws WebhookVerificationException;
    }

    private static Reason reason(Check check) {
        return assertThrows(WebhookVerificationException.class, check::run).reason();
    }
}
