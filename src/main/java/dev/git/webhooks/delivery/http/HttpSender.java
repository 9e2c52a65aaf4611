package dev.git.webhooks.delivery.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.delivery.DeliveryConfig;
import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.subscription.address.DestinationConfig;
import dev.git.webhooks.subscription.address.EndpointTrust;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * POSTs a delivery with the non-blocking Vert.x client over keep-alive pools. It connects to the address vetted by
 * the caller while the request keeps the URL's host (Host header, TLS SNI), follows no redirect, bounds the whole
 * attempt by the timeout, and keeps only the first bytes of the answer.
 */
@ApplicationScoped
public class HttpSender {

    /** Past this much of an answer body the connection is dropped rather than drained. */
    private static final int DRAIN_LIMIT = 1 << 20;
    private static final int MAX_HEADERS = 64;

    private final Vertx vertx;
    private final HttpClient client;
    private final ClientCertificates certificates;
    private final DeliveryConfig config;
    private final Clock clock;

    public HttpSender(Vertx vertx, DeliveryConfig config, DestinationConfig destinations, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.client = vertx.createHttpClient(options(config, destinations));
        this.certificates = new ClientCertificates(vertx, () -> options(config, destinations));
    }

    /** The options of every client: the shared one, and those of the endpoints with a client certificate. */
    private static HttpClientOptions options(DeliveryConfig config, DestinationConfig destinations) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setMaxPoolSize(64)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setTryUseCompression(false)
                .setVerifyHost(true)
                .setForceSni(true)
                .setMaxRedirects(0)
                // our trace stays ours: no client span, no traceparent in the customer's request (operations.md)
                .setTracingPolicy(TracingPolicy.IGNORE);
        // Certificates are checked against the URL's host name, not the vetted address the socket goes to.
        EndpointTrust.of(destinations).ifPresent(trust -> options.setTrustOptions(TrustOptions.wrap(trust)));
        return options;
    }

    @PreDestroy
    void close() {
        client.close();
        certificates.close();
    }

    /** Completes with the result of the attempt, never exceptionally: every failure is a result. */
    public CompletionStage<AttemptResult> send(URI url, InetAddress address, Map<String, String> headers,
            byte[] body) {
        return send(url, address, headers, body, null, config.responseBodyLimit());
    }

    /**
     * {@link #send}, presenting {@code identity}'s client certificate (null: none, the shared client), keeping up to
     * {@code bodyLimit} bytes of the answer. Making the client of a new certificate opens its key on this thread
     * (AES-GCM, microseconds); the TLS context itself is built by Vert.x off the event loop.
     */
    public CompletionStage<AttemptResult> send(URI url, InetAddress address, Map<String, String> headers,
            byte[] body, ClientIdentity identity, int bodyLimit) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                .setHost(host)
                .setPort(port)
                .setSsl(https)
                .setURI(path + query)
                .setFollowRedirects(false)
                .setConnectTimeout(config.connectTimeout().toMillis());
        headers.forEach(options::putHeader);
        options.putHeader(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
        HttpClient through;
        try {
            through = identity == null ? client : certificates.client(identity);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(AttemptResult.error(clock.instant(), 0,
                    headers, "tls_error", "The client certificate could not be loaded: " + e.getMessage()));
        }
        return new Exchange(headers, through, bodyLimit).run(options, body);
    }

    /** One attempt in flight: whichever of answer, failure or timeout comes first completes it. */
    private final class Exchange {
        private final Instant started = clock.instant();
        private final long startNanos = System.nanoTime();
        private final Map<String, String> headers;
        private final HttpClient client;
        private final int limit;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final CompletableFuture<AttemptResult> done = new CompletableFuture<>();
        private volatile HttpClientRequest request;
        private long timer;

        Exchange(Map<String, String> headers, HttpClient client, int limit) {
            this.headers = headers;
            this.client = client;
            this.limit = limit;
        }

        CompletableFuture<AttemptResult> run(RequestOptions options, byte[] body) {
            timer = vertx.setTimer(config.timeout().toMillis(), id -> {
                // Recorded before the reset: resetting fails the request at once, which must not name the failure.
                complete(AttemptResult.error(started, elapsed(), headers, "timeout",
                        "No complete answer within " + config.timeout().toMillis() + " ms"));
                if (request != null) {
                    request.reset();
                }
            });
            client.request(options).onComplete(connected -> {
                if (connected.failed()) {
                    fail(connected.cause());
                    return;
                }
                request = connected.result();
                // Registered before the request is written, so it runs as soon as the head arrives.
                request.response(answered -> {
                    if (answered.failed()) {
                        fail(answered.cause());
                    } else {
                        read(answered.result());
                    }
                });
                request.end(Buffer.buffer(body)).onFailure(this::fail);
            });
            return done;
        }

        private void read(HttpClientResponse response) {
            Buffer kept = Buffer.buffer();
            long[] total = {0};
            response.handler(chunk -> {
                total[0] += chunk.length();
                if (kept.length() < limit) {
                    kept.appendBuffer(chunk, 0, Math.min(chunk.length(), limit - kept.length()));
                }
                if (total[0] > DRAIN_LIMIT && !finished.get()) {
                    response.request().connection().close();
                    complete(answer(response, kept));
                }
            });
            response.exceptionHandler(e -> complete(answer(response, kept)));
            response.endHandler(v -> complete(answer(response, kept)));
        }

        private void fail(Throwable cause) {
            complete(AttemptResult.error(started, elapsed(), headers, ErrorClasses.of(cause),
                    ErrorClasses.message(cause)));
        }

        private void complete(AttemptResult result) {
            if (finished.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                done.complete(result);
            }
        }

        private AttemptResult answer(HttpClientResponse response, Buffer kept) {
            Map<String, String> answer = new LinkedHashMap<>();
            for (Map.Entry<String, String> header : response.headers()) {
                if (answer.size() >= MAX_HEADERS) {
                    break;
                }
                answer.merge(clean(header.getKey().toLowerCase()), clean(header.getValue()), (a, b) -> a + ", " + b);
            }
            int status = response.statusCode();
            String errorClass = status >= 200 && status < 300 ? null
                    : status >= 300 && status < 400 ? "redirect" : "http_status";
            return new AttemptResult(started, elapsed(), headers, status, answer,
                    clean(new String(kept.getBytes(), StandardCharsets.UTF_8)), errorClass, null);
        }

        private long elapsed() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    /** PostgreSQL text and jsonb refuse NUL: an endpoint's answer must not be able to break the attempt log. */
    static String clean(String value) {
        return value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD');
    }
}
