package dev.git.webhooks.delivery.auth;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.delivery.Signer;
import dev.git.webhooks.delivery.http.ClientIdentity;
import dev.git.webhooks.delivery.http.HttpSender;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.subscription.SecretCipher;
import dev.git.webhooks.subscription.address.DestinationPolicy;
import dev.git.webhooks.subscription.auth.DeliveryCredentials;
import io.quarkus.arc.ClientProxy;

/**
 * The bearer token of an endpoint with OAuth 2.0 client credentials (SPEC §13): kept by {@link TokenCache}, fetched by
 * {@link TokenClient}, renewed once when the receiver answers 401. A token belongs to the endpoint and the stored form
 * of its settings, so that a changed secret or token URL gets a new token at once.
 */
@ApplicationScoped
public class DeliveryAuth {

    private static final int MAX_OPENED = 10_000;

    private final TokenCache cache;
    private final TokenClient client;
    private final SecretCipher cipher;
    private final Map<ByteBuffer, String> secrets = new ConcurrentHashMap<>();

    public DeliveryAuth(DestinationPolicy destinations, HttpSender sender, SecretCipher cipher, Clock clock,
            Signer signer) {
        this.cache = new TokenCache(clock);
        this.client = new TokenClient(ClientProxy.unwrap(destinations), ClientProxy.unwrap(sender),
                signer.userAgent());
        this.cipher = ClientProxy.unwrap(cipher);
    }

    /**
     * The token to send to the job's endpoint, asked for presenting {@code identity}, the endpoint's client
     * certificate (null: none); fails with {@link TokenFailure}.
     */
    public CompletionStage<TokenCache.Token> token(DeliveryJob job, ClientIdentity identity) {
        DeliveryCredentials credentials = job.target().credentials();
        return cache.token(key(job), () -> client.fetch(credentials.oauth(), secret(job), identity));
    }

    /** A new token after the endpoint refused {@code stale} (HTTP 401). */
    public CompletionStage<TokenCache.Token> refresh(DeliveryJob job, TokenCache.Token stale,
            ClientIdentity identity) {
        DeliveryCredentials credentials = job.target().credentials();
        return cache.refresh(key(job), stale, () -> client.fetch(credentials.oauth(), secret(job), identity));
    }

    private static String key(DeliveryJob job) {
        DeliveryCredentials credentials = job.target().credentials();
        // the client certificate too: a token bound to it (RFC 8705) is not presented with another one
        return job.endpointId() + "\n" + credentials.auth() + "\n"
                + Base64.getEncoder().encodeToString(credentials.authSecret()) + "\n"
                + java.util.Objects.hashCode(credentials.certificate());
    }

    /** The client secret, opened once per sealed form, not at every fetch. */
    private String secret(DeliveryJob job) {
        DeliveryCredentials credentials = job.target().credentials();
        if (secrets.size() > MAX_OPENED) {
            secrets.clear();
        }
        return secrets.computeIfAbsent(ByteBuffer.wrap(credentials.authSecret()), k -> cipher.open(
                credentials.authSecret(), credentials.authSecretKeyId(), job.endpointId()));
    }
}
