package dev.git.webhooks.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.delivery.auth.Authorization;
import dev.git.webhooks.delivery.auth.DeliveryAuth;
import dev.git.webhooks.delivery.auth.TokenCache;
import dev.git.webhooks.delivery.http.ClientIdentity;
import dev.git.webhooks.delivery.http.HttpSender;
import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.subscription.SecretCipher;
import dev.git.webhooks.subscription.auth.DeliveryCredentials;
import io.quarkus.arc.ClientProxy;

/**
 * A request to an endpoint made the way the endpoint asks to be called: presenting its client certificate if it has
 * one, and, for its deliveries, if it asks for OAuth 2.0, with its bearer token (kept, or fetched without blocking,
 * presenting that certificate to the token endpoint too: RFC 8705's mutual-TLS client authentication and
 * certificate-bound tokens need it there). A 401 renews the token once and sends once more, and the second answer is
 * the one that counts. No token: a result with error class {@code auth}. Completes with the result, never
 * exceptionally.
 */
@ApplicationScoped
public class EndpointCalls {

    private final HttpSender sender;
    private final DeliveryAuth auth;
    private final SecretCipher cipher;
    private final Clock clock;

    public EndpointCalls(HttpSender sender, DeliveryAuth auth, SecretCipher cipher, Clock clock) {
        // the beans themselves, not their client proxies: each call through a proxy looks the instance up again
        this.sender = ClientProxy.unwrap(sender);
        this.auth = ClientProxy.unwrap(auth);
        this.cipher = ClientProxy.unwrap(cipher);
        this.clock = clock;
    }

    /**
     * POSTs {@code body} to the vetted {@code address} of {@code url} presenting the endpoint's client certificate
     * alone: its ownership challenge. A certificate proves who calls and gives nothing away; a bearer token is a
     * credential for the receiver once its URL is proven, not for a URL still to be proven (a typo, or someone
     * else's server).
     */
    public CompletionStage<AttemptResult> challenge(DeliveryJob job, URI url, InetAddress address,
            Map<String, String> headers, byte[] body, int bodyLimit, Duration timeout) {
        return sender.send(url, address, headers, body, identity(job), bodyLimit, timeout);
    }

    /** POSTs a delivery's {@code body} to the vetted {@code address} of {@code url} for the endpoint of {@code job}. */
    public CompletionStage<AttemptResult> post(DeliveryJob job, URI url, InetAddress address,
            Map<String, String> headers, byte[] body, int bodyLimit, Duration timeout) {
        ClientIdentity identity = identity(job);
        if (!job.target().credentials().hasOAuth()) {
            return sender.send(url, address, headers, body, identity, bodyLimit, timeout);
        }
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        return auth.token(job, identity)
                .thenCompose(token -> {
                    long sentNanos = System.nanoTime();
                    return post(url, address, headers, body, identity, token, bodyLimit, timeout)
                            .thenCompose(result -> result.status() != null && result.status() == 401
                                    ? resend(job, token, result, sentNanos, url, address, headers, body, identity,
                                            bodyLimit, timeout)
                                    : CompletableFuture.completedFuture(result));
                })
                .exceptionally(e -> Authorization.failed(headers, started, startNanos, e));
    }

    /**
     * After a 401: the token renewed and the attempt sent once more, within what is left of the attempt's timeout
     * counted from its first request to the endpoint ({@code sentNanos}), so that the endpoint is never waited on for
     * more than one timeout in an attempt (the token requests have their own); with less than a millisecond left, the
     * 401 is the attempt's answer.
     */
    private CompletionStage<AttemptResult> resend(DeliveryJob job, TokenCache.Token token, AttemptResult refused,
            long sentNanos, URI url, InetAddress address, Map<String, String> headers, byte[] body,
            ClientIdentity identity, int bodyLimit, Duration timeout) {
        return auth.refresh(job, token, identity).thenCompose(fresh -> {
            Duration left = timeout.minusNanos(System.nanoTime() - sentNanos);
            return left.toMillis() < 1 ? CompletableFuture.completedFuture(refused)
                    : post(url, address, headers, body, identity, fresh, bodyLimit, left);
        });
    }

    private CompletionStage<AttemptResult> post(URI url, InetAddress address, Map<String, String> headers,
            byte[] body, ClientIdentity identity, TokenCache.Token token, int bodyLimit, Duration timeout) {
        return sender.send(url, address, Authorization.with(headers, token), body, identity, bodyLimit, timeout);
    }

    /** The endpoint's client certificate, its key opened only when a client is made for it; null: none. */
    private ClientIdentity identity(DeliveryJob job) {
        DeliveryCredentials credentials = job.target().credentials();
        if (!credentials.hasClientCertificate()) {
            return null;
        }
        return new ClientIdentity(job.endpointId(), credentials.certificate(), credentials.key(),
                () -> cipher.open(credentials.key(), credentials.keyKeyId(), job.endpointId()));
    }
}
