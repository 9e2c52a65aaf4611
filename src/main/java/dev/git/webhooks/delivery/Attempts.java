package dev.git.webhooks.delivery;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.git.webhooks.delivery.http.AttemptResult;
import dev.git.webhooks.delivery.http.HttpSender;
import dev.git.webhooks.signing.Signatures;
import dev.git.webhooks.signing.SigningSecret;
import dev.git.webhooks.subscription.SecretCipher;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.address.DestinationRefusedException;

/**
 * Makes one attempt of a delivery: checks the destination again (DNS can change), signs the exact event bytes
 * with every valid secret, and POSTs them with the headers of the contract.
 */
@ApplicationScoped
public class Attempts {

    private final DestinationPolicy destinations;
    private final SecretCipher cipher;
    private final HttpSender sender;
    private final Clock clock;
    private final String userAgent;
    private final Map<ByteBuffer, SigningSecret> opened = new ConcurrentHashMap<>();
    private static final int MAX_OPENED = 10_000;

    public Attempts(DestinationPolicy destinations, SecretCipher cipher, HttpSender sender, Clock clock,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "1") String version) {
        this.destinations = destinations;
        this.cipher = cipher;
        this.sender = sender;
        this.clock = clock;
        this.userAgent = "git.dev-Webhooks/" + version;
    }

    /**
     * Never blocks: the name is resolved on the resolver's own threads (bounded by the DNS timeout), then the request
     * goes to the vetted address. Completes with the result, never exceptionally.
     */
    public CompletionStage<AttemptResult> attempt(DeliveryJob job) {
        Instant now = clock.instant();
        long startNanos = System.nanoTime();
        Map<String, String> headers = headers(job, now);
        URI url;
        try {
            url = destinations.parse(job.target().url());
        } catch (DestinationRefusedException e) {
            return CompletableFuture.completedFuture(refused(now, startNanos, headers, e));
        }
        return destinations.resolve(url).handle((address, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause == null) {
                return sender.send(url, address, headers, job.payload());
            }
            DestinationRefusedException refusal = cause instanceof DestinationRefusedException r ? r
                    : new DestinationRefusedException("dns_failure", String.valueOf(cause.getMessage()));
            return CompletableFuture.completedFuture(refused(now, startNanos, headers, refusal));
        }).thenCompose(stage -> stage);
    }

    /** {@code dns_timeout} and {@code dns_failure} are their own classes; every other refusal is one class. */
    private static AttemptResult refused(Instant now, long startNanos, Map<String, String> headers,
            DestinationRefusedException e) {
        String errorClass = e.reason().startsWith("dns_") ? e.reason() : "destination_refused";
        return AttemptResult.error(now, (System.nanoTime() - startNanos) / 1_000_000, headers, errorClass,
                e.reason() + ": " + e.getMessage());
    }

    Map<String, String> headers(DeliveryJob job, Instant now) {
        List<SigningSecret> secrets = secrets(job.target(), now);
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", userAgent);
        headers.put("X-Signature-256", Signatures.github(secrets, job.payload()));
        headers.put("X-Webhook-Event", job.eventType());
        headers.put("X-Webhook-Delivery", job.deliveryId());
        headers.put("X-Webhook-Attempt", String.valueOf(job.attempt()));
        headers.put("webhook-id", job.eventId());
        headers.put("webhook-timestamp", String.valueOf(timestamp));
        headers.put("webhook-signature", Signatures.standard(secrets, job.eventId(), timestamp, job.payload()));
        return headers;
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
