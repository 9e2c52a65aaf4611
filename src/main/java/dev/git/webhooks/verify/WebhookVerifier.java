package dev.git.webhooks.verify;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.git.webhooks.verify.WebhookVerificationException.Reason;

/**
 * Verifies git.dev webhook deliveries in a Java receiver. Depends on the JDK alone: depend on the jar that the build
 * makes of this package (classifier {@code verifier}), or copy its three classes ({@code WebhookVerifier},
 * {@link WebhookSignatures}, {@link WebhookVerificationException}) into any project.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of(System.getenv("WEBHOOK_SECRET"));
 * verifier.verify(rawBody, headers); // throws WebhookVerificationException when it does not verify
 * }</pre>
 *
 * {@link #verify} checks the Standard Webhooks trio ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}), which the service sends with every delivery, over the raw body bytes, in constant time,
 * accepting any of several signatures (the service sends two during a secret rotation) and any of several secrets
 * (yours, while you roll a new one out), and refusing a timestamp further than the tolerance from now (5 minutes by
 * default). A delivery without {@code webhook-signature} is refused, even with a valid {@code X-Signature-256}: that
 * header signs the body alone, so a captured request would verify for ever once its {@code webhook-*} headers were
 * stripped. {@link #verifyGithub} checks {@code X-Signature-256} alone, for a receiver that has nothing else.
 */
public final class WebhookVerifier {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final String PREFIX = WebhookSignatures.SECRET_PREFIX;

    private final List<String> secrets;
    private final Duration tolerance;
    private final Clock clock;

    private WebhookVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        this.secrets = List.copyOf(secrets);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** A verifier for one or more {@code whsec_…} secrets. */
    public static WebhookVerifier of(String... secrets) {
        List<String> list = new ArrayList<>();
        for (String secret : secrets) {
            if (secret == null || !secret.startsWith(PREFIX)) {
                throw new IllegalArgumentException("a signing secret starts with " + PREFIX);
            }
            Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            list.add(secret);
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("give at least one signing secret");
        }
        return new WebhookVerifier(list, DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    public WebhookVerifier withTolerance(Duration tolerance) {
        return new WebhookVerifier(secrets, Objects.requireNonNull(tolerance), clock);
    }

    public WebhookVerifier withClock(Clock clock) {
        return new WebhookVerifier(secrets, tolerance, Objects.requireNonNull(clock));
    }

    /**
     * Verifies a delivery from its raw body and its headers (names in any case): its Standard Webhooks signature and
     * timestamp. {@code X-Signature-256} is not a way around them: a delivery without {@code webhook-signature} is
     * refused ({@link Reason#MISSING_HEADER}), since that header without the timestamp would let a captured request
     * be sent again for ever.
     */
    public void verify(byte[] body, Map<String, String> headers) throws WebhookVerificationException {
        String signature = header(headers, "webhook-signature");
        if (signature == null || signature.isBlank()) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "webhook-signature is missing: every "
                    + "delivery carries it, and X-Signature-256 alone (no timestamp) is not accepted here");
        }
        verifyStandard(body, header(headers, "webhook-id"), header(headers, "webhook-timestamp"), signature);
    }

    /**
     * {@code X-Signature-256: sha256=<hex>[ sha256=<hex>]}, HMAC-SHA256 keyed with the whole secret string. It signs
     * the body alone: a receiver that checks only this header should drop the events whose {@code id} (in the body,
     * which it signs; not the {@code webhook-id} header, which it does not) it has processed, and cannot tell a
     * replayed request from a new one otherwise.
     */
    public void verifyGithub(byte[] body, String signatureHeader) throws WebhookVerificationException {
        List<byte[]> given = new ArrayList<>();
        for (String part : parts(signatureHeader, "X-Signature-256")) {
            if (!part.startsWith("sha256=")) {
                throw new WebhookVerificationException(Reason.MALFORMED_HEADER,
                        "X-Signature-256 must hold sha256=<hex> values, got '" + part + "'");
            }
            try {
                given.add(HexFormat.of().parseHex(part.substring("sha256=".length())));
            } catch (IllegalArgumentException e) {
                throw new WebhookVerificationException(Reason.MALFORMED_HEADER, "X-Signature-256 is not hex");
            }
        }
        for (String secret : secrets) {
            if (matchesAny(WebhookSignatures.github(secret, body), given)) {
                return;
            }
        }
        throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "No X-Signature-256 signature matches "
                + "this body with this secret. Verify the raw bytes of the body, not re-serialised JSON.");
    }

    /**
     * The Standard Webhooks scheme: {@code webhook-signature: v1,<base64>[ v1,<base64>]}, HMAC-SHA256 of
     * {@code "{webhook-id}.{webhook-timestamp}.{body}"} keyed with the base64-decoded part of the secret.
     */
    public void verifyStandard(byte[] body, String id, String timestamp, String signatureHeader)
            throws WebhookVerificationException {
        if (id == null || id.isBlank()) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "webhook-id is missing");
        }
        if (timestamp == null || timestamp.isBlank()) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "webhook-timestamp is missing");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException(Reason.MALFORMED_HEADER,
                    "webhook-timestamp must be unix seconds, got '" + timestamp + "'");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > tolerance.toSeconds()) {
            throw new WebhookVerificationException(Reason.TIMESTAMP_OUT_OF_TOLERANCE, "webhook-timestamp is "
                    + Math.abs(now - seconds) + " s from now; the tolerance is " + tolerance.toSeconds() + " s");
        }
        List<byte[]> given = new ArrayList<>();
        for (String part : parts(signatureHeader, "webhook-signature")) {
            int comma = part.indexOf(',');
            if (comma < 0) {
                throw new WebhookVerificationException(Reason.MALFORMED_HEADER,
                        "webhook-signature must hold v1,<base64> values, got '" + part + "'");
            }
            if (!part.substring(0, comma).equals("v1")) {
                continue; // other schemes (v1a: asymmetric) are not ours to check
            }
            try {
                given.add(Base64.getDecoder().decode(part.substring(comma + 1)));
            } catch (IllegalArgumentException e) {
                throw new WebhookVerificationException(Reason.MALFORMED_HEADER, "webhook-signature is not base64");
            }
        }
        for (String secret : secrets) {
            if (matchesAny(WebhookSignatures.standard(secret, id, seconds, body), given)) {
                return;
            }
        }
        throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "No webhook-signature matches this body "
                + "with this secret. Verify the raw bytes of the body, not re-serialised JSON.");
    }

    private static boolean matchesAny(byte[] expected, List<byte[]> given) {
        boolean match = false;
        for (byte[] signature : given) {
            match |= MessageDigest.isEqual(expected, signature); // constant time, and every one compared
        }
        return match;
    }

    private static List<String> parts(String header, String name) throws WebhookVerificationException {
        if (header == null || header.isBlank()) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, name + " is missing");
        }
        return List.of(header.trim().split("\\s+"));
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(
                    Locale.ROOT))) {
                return entry.getValue();
            }
        }
        return null;
    }
}
