package dev.git.webhooks.delivery;

import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.signing.Signatures;
import dev.git.webhooks.signing.SigningKey;
import dev.git.webhooks.signing.SigningSecret;
import dev.git.webhooks.subscription.DeliveryControls;
import dev.git.webhooks.subscription.SecretCipher;

/**
 * The headers of an attempt, signatures included: the exact event bytes signed ({@code X-Signature-256} with the
 * newest secret, {@code webhook-signature} with every valid one; secrets are opened once, not at every attempt).
 * An endpoint with v1a on also gets {@code v1a,<Ed25519 signature>} in {@code webhook-signature}; one with v1a only
 * (no v1) gets neither HMAC: no {@code v1} entries and no {@code X-Signature-256}.
 */
@ApplicationScoped
public class Signer {

    private static final int MAX_OPENED = 10_000;

    private final SecretCipher cipher;
    private final String userAgent;
    private final Map<ByteBuffer, SigningSecret> opened = new ConcurrentHashMap<>();
    private final Map<String, Custom> custom = new ConcurrentHashMap<>();
    private final Map<String, PrivateKey> keys = new ConcurrentHashMap<>();

    public Signer(SecretCipher cipher,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "1") String version) {
        this.cipher = cipher;
        this.userAgent = userAgent(version);
    }

    /**
     * {@code git.dev-Webhooks/<major.minor.patch>}: the release version, also from a development build (whose
     * {@code -SNAPSHOT} is dropped), so that what receivers see is what the docs show and what they may match.
     */
    static String userAgent(String version) {
        return "git.dev-Webhooks/" + version.replaceFirst("-SNAPSHOT$", "");
    }

    /** The {@code User-Agent} of every request to a customer's server (attempts, and token requests too). */
    public String userAgent() {
        return userAgent;
    }

    /**
     * The headers of an attempt: the endpoint's own static headers (SPEC §12; their names never collide with the
     * service's, which the API makes sure of), then the service's.
     */
    public Map<String, String> headers(DeliveryJob job, Instant now) {
        DeliveryJob.Target target = job.target();
        boolean hmac = target.signatureSchemes() == null || target.signatureSchemes().contains("v1,")
                || target.signatureSchemes().equals("v1");
        boolean ed25519 = target.signatureSchemes() != null && target.signatureSchemes().contains("v1a")
                && target.signingKey() != null;
        List<SigningSecret> secrets = hmac || !ed25519 ? secrets(target, now) : List.of();
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        if (job.target().headers() != null) {
            custom(job.target()).headers().forEach(h -> headers.put(h.name(), h.value()));
        }
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", userAgent);
        if (!secrets.isEmpty()) {
            headers.put("X-Signature-256", Signatures.github(secrets.get(0), job.payload()));
        }
        headers.put("X-Webhook-Event", job.eventType());
        headers.put("X-Webhook-Delivery", job.deliveryId());
        headers.put("X-Webhook-Attempt", String.valueOf(job.attempt()));
        headers.put("webhook-id", job.eventId());
        headers.put("webhook-timestamp", String.valueOf(timestamp));
        String signatures = Signatures.standard(secrets, job.eventId(), timestamp, job.payload());
        if (ed25519) {
            String v1a = SigningKey.sign(key(target), job.eventId(), timestamp, job.payload());
            signatures = signatures.isEmpty() ? v1a : signatures + " " + v1a;
        }
        headers.put("webhook-signature", signatures);
        return headers;
    }

    /**
     * The headers of an ownership challenge: an attempt's, without the endpoint's secret headers. Those are credentials
     * for the receiver once its URL is proven, not for a URL still to be proven (a typo, or someone else's server), as
     * the OAuth token is not sent with a challenge either.
     */
    public Map<String, String> challengeHeaders(DeliveryJob job, Instant now) {
        Map<String, String> headers = headers(job, now);
        if (job.target().headers() != null) {
            custom(job.target()).secret().forEach(headers::remove);
        }
        return headers;
    }

    /** {@code result} as the attempt log keeps it: the values of the endpoint's secret headers redacted. */
    public AttemptResult redacted(DeliveryJob job, AttemptResult result) {
        if (job.target().headers() == null || result.requestHeaders() == null) {
            return result;
        }
        Set<String> secret = custom(job.target()).secret();
        if (secret.isEmpty()) {
            return result;
        }
        Map<String, String> logged = new LinkedHashMap<>(result.requestHeaders());
        secret.forEach(name -> logged.computeIfPresent(name, (n, v) -> "[redacted]"));
        return new AttemptResult(result.startedAt(), result.durationMs(), logged, result.status(),
                result.responseHeaders(), result.responseBody(), result.errorClass(), result.errorMessage());
    }

    /** The endpoint's static headers, opened once per stored form (a change stores another). */
    private Custom custom(DeliveryJob.Target target) {
        if (custom.size() > MAX_OPENED) {
            custom.clear();
        }
        return custom.computeIfAbsent(target.endpointId() + "\n" + target.headers(), key -> {
            Set<String> secret = new HashSet<>();
            List<DeliveryControls.Header> headers = DeliveryControls.toSend(target.headers(),
                    (sealed, keyId) -> cipher.open(sealed, keyId, target.endpointId()), secret);
            return new Custom(headers, Set.copyOf(secret));
        });
    }

    /** The endpoint's Ed25519 key, opened and parsed once per endpoint and sealed form, not at every attempt. */
    private PrivateKey key(DeliveryJob.Target target) {
        if (keys.size() > MAX_OPENED) {
            keys.clear();
        }
        return keys.computeIfAbsent(target.endpointId() + "\n" + java.util.Base64.getEncoder().encodeToString(
                target.signingKey()), key -> SigningKey.privateKey(cipher.open(target.signingKey(),
                        target.signingKeyId(), target.endpointId())));
    }

    private record Custom(List<DeliveryControls.Header> headers, Set<String> secret) {
    }

    private List<SigningSecret> secrets(DeliveryJob.Target target, Instant now) {
        List<SigningSecret> secrets = new ArrayList<>(2);
        secrets.add(open(target.secret(), target.secretKeyId(), target.endpointId()));
        if (target.previousSecret() != null && target.previousSecretExpiresAt() != null
                && target.previousSecretExpiresAt().isAfter(now)) {
            secrets.add(open(target.previousSecret(), target.previousSecretKeyId(), target.endpointId()));
        }
        return secrets;
    }

    /** Opens a sealed secret once, not at every attempt; a rotated secret has another ciphertext. */
    private SigningSecret open(byte[] sealed, String keyId, String endpointId) {
        if (opened.size() > MAX_OPENED) {
            opened.clear();
        }
        return opened.computeIfAbsent(ByteBuffer.wrap(sealed),
                key -> new SigningSecret(cipher.open(sealed, keyId, endpointId)));
    }
}
