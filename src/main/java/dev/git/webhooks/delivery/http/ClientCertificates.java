package dev.git.webhooks.delivery.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * One Vert.x client per endpoint that presents a client certificate: a TLS context holds one key, so those endpoints
 * cannot share the pool of the others. Each is made with the shared client's options (trust, SNI, host check,
 * timeouts) plus the certificate, kept while the certificate and sealed key stay the same, and closed when they are
 * replaced (attempts in flight on it then fail and are retried) or when no attempt has asked for it for a while
 * ({@link #closeIdle}: the endpoint was deleted, lost its certificate, or moved to another instance).
 */
final class ClientCertificates {

    private record Held(String certificate, byte[] sealedKey, HttpClient client, AtomicLong lastUsed) {
    }

    private final Vertx vertx;
    private final Supplier<HttpClientOptions> options;
    private final LongSupplier nanoTime;
    private final Map<String, Held> clients = new ConcurrentHashMap<>();

    ClientCertificates(Vertx vertx, Supplier<HttpClientOptions> options, LongSupplier nanoTime) {
        this.vertx = vertx;
        this.options = options;
        this.nanoTime = nanoTime;
    }

    HttpClient client(ClientIdentity identity) {
        Held held = clients.get(identity.endpointId());
        if (held != null && same(held, identity)) {
            held.lastUsed().set(nanoTime.getAsLong());
            return held.client();
        }
        Held[] replaced = new Held[1];
        Held current = clients.compute(identity.endpointId(), (id, kept) -> {
            if (kept != null && same(kept, identity)) {
                return kept;
            }
            replaced[0] = kept;
            PemKeyCertOptions pem = new PemKeyCertOptions().addCertValue(Buffer.buffer(identity.certificate()))
                    .addKeyValue(Buffer.buffer(identity.key().get()));
            return new Held(identity.certificate(), identity.sealedKey(),
                    vertx.createHttpClient(options.get().setKeyCertOptions(pem)), new AtomicLong(nanoTime.getAsLong()));
        });
        if (replaced[0] != null) {
            replaced[0].client().close();
        }
        return current.client();
    }

    /**
     * Closes and forgets the clients that no attempt asked for in the last {@code idle}; answers how many. One asked
     * for again later is made again (a TLS handshake more).
     */
    int closeIdle(Duration idle) {
        long now = nanoTime.getAsLong();
        int closed = 0;
        for (Map.Entry<String, Held> entry : clients.entrySet()) {
            Held held = entry.getValue();
            if (now - held.lastUsed().get() >= idle.toNanos() && clients.remove(entry.getKey(), held)) {
                held.client().close();
                closed++;
            }
        }
        return closed;
    }

    /** How many clients are kept. */
    int size() {
        return clients.size();
    }

    void close() {
        clients.values().forEach(held -> held.client().close());
        clients.clear();
    }

    private static boolean same(Held held, ClientIdentity identity) {
        return held.certificate().equals(identity.certificate()) && Arrays.equals(held.sealedKey(),
                identity.sealedKey());
    }
}
