package dev.git.webhooks.delivery.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * POSTs a delivery with the non-blocking Vert.x client over keep-alive pools. It connects to the address vetted by
 * the caller while the request keeps the URL's host (Host header, TLS SNI), follows no redirect, bounds the whole
 * attempt by the timeout, and keeps only the first bytes of the answer.
 * <p>
 * Through the operator's proxy ({@link EgressProxy}) the vetted address is still where the request goes: an https
 * request tunnels with {@code CONNECT <vetted address>:<port>} (TLS, SNI and the certificate check stay with the
 * URL's name, end to end), an http one names the vetted address in its absolute-form target. The proxy never
 * resolves the customer's name, so a name that re-resolves to a private address (DNS rebinding) cannot slip past
 * the address rules behind the proxy's back. A failure to get through the proxy is the error class {@code proxy}.
 */
@ApplicationScoped
public class HttpSender {

    /** The {@code Server} of proxies' own answers. */
    private static final java.util.regex.Pattern PROXY_SERVERS = java.util.regex.Pattern.compile(
            "^(tinyproxy|squid)\\b", java.util.regex.Pattern.CASE_INSENSITIVE);
    /** Past this much of an answer body the connection is dropped rather than drained. */
    private static final int DRAIN_LIMIT = 1 << 20;
    private static final int MAX_HEADERS = 64;
    /** An address and port in a connection failure's message: {@code /10.0.0.5:3128}, {@code [fd00::5]:3128}. */
    private static final java.util.regex.Pattern SOCKET_ADDRESS = java.util.regex.Pattern.compile(
            "/?(\\[[0-9a-fA-F:.%]+]|[0-9]{1,3}(\\.[0-9]{1,3}){3}|[\\w.-]+/[0-9a-fA-F:.]+):[0-9]{1,5}");

    /** How long a client with an endpoint's certificate is kept without an attempt on it. */
    static final Duration IDLE_CLIENT = Duration.ofMinutes(30);

    private final Vertx vertx;
    private final HttpClient client;
    private final ClientCertificates certificates;
    private final DeliveryConfig config;
    private final Clock clock;
    private final EgressProxy egress;

    public HttpSender(Vertx vertx, DeliveryConfig config, DestinationConfig destinations, Clock clock,
            EgressProxy egress) {
        this.vertx = vertx;
        this.egress = egress;
        this.config = config;
        this.clock = clock;
        this.client = vertx.createHttpClient(options(config, destinations));
        this.certificates = new ClientCertificates(vertx, () -> options(config, destinations), System::nanoTime);
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

    /**
     * The client-certificate clients that no attempt used for {@link #IDLE_CLIENT} are closed: an endpoint deleted, its
     * certificate removed or its ownership moved leaves nothing open behind it.
     */
    @Scheduled(every = "5m", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void closeIdleClients() {
        certificates.closeIdle(IDLE_CLIENT);
    }

    @PreDestroy
    void close() {
        client.close();
        certificates.close();
    }

    /** Completes with the result of the attempt, never exceptionally: every failure is a result. */
    public CompletionStage<AttemptResult> send(URI url, InetAddress address, Map<String, String> headers,
            byte[] body) {
        return send(url, address, headers, body, null, config.responseBodyLimit(), config.timeout());
    }

    /**
     * {@link #send}, presenting {@code identity}'s client certificate (null: none, the shared client), keeping up to
     * {@code bodyLimit} bytes of the answer. Making the client of a new certificate opens its key on this thread
     * (AES-GCM, microseconds); the TLS context itself is built by Vert.x off the event loop.
     */
    public CompletionStage<AttemptResult> send(URI url, InetAddress address, Map<String, String> headers,
            byte[] body, ClientIdentity identity, int bodyLimit) {
        return send(url, address, headers, body, identity, bodyLimit, config.timeout());
    }

    /** {@link #send(URI, InetAddress, Map, byte[], ClientIdentity, int)} bounded by {@code timeout}. */
    public CompletionStage<AttemptResult> send(URI url, InetAddress address, Map<String, String> headers,
            byte[] body, ClientIdentity identity, int bodyLimit, Duration timeout) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        InetAddress vetted = literal(address);
        ProxyOptions proxy = egress.options().orElse(null);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(vetted, port)))
                .setHost(host)
                .setPort(port)
                .setSsl(https)
                .setURI(proxy != null && !https ? absolute(vetted, port, path + query) : path + query)
                .setFollowRedirects(false)
                .setConnectTimeout(config.connectTimeout().toMillis());
        if (proxy != null) {
            options.setProxyOptions(proxy);
        }
        headers.forEach(options::putHeader);
        options.putHeader(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
        HttpClient through;
        try {
            through = identity == null ? client : certificates.client(identity);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(AttemptResult.error(clock.instant(), 0,
                    headers, "tls_error", "The client certificate could not be loaded: " + e.getMessage()));
        }
        return new Exchange(headers, timeout, proxy != null, proxy != null && !https, through, bodyLimit)
                .run(options, body);
    }

    /**
     * The address alone, without the name it was looked up by: a proxy's {@code CONNECT} names the address the
     * socket would go to, and with a name attached that would be the name, which the proxy would resolve again.
     */
    private static InetAddress literal(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e); // never: the bytes come from an address
        }
    }

    /** An http request's absolute-form target for a proxy: the vetted address, not the name. */
    private static String absolute(InetAddress vetted, int port, String pathAndQuery) {
        String literal = vetted.getHostAddress();
        String authority = (literal.contains(":") ? "[" + literal + "]" : literal) + (port == 80 ? "" : ":" + port);
        return "http://" + authority + pathAndQuery;
    }

    /** One attempt in flight: whichever of answer, failure or timeout comes first completes it. */
    private final class Exchange {
        private final Instant started = clock.instant();
        private final long startNanos = System.nanoTime();
        private final Map<String, String> headers;
        private final Duration timeout;
        private final boolean proxied;
        /** Sent through the proxy as a plain http request (no tunnel): the proxy itself may answer it. */
        private final boolean forwarded;
        private final HttpClient client;
        private final int limit;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final CompletableFuture<AttemptResult> done = new CompletableFuture<>();
        private volatile HttpClientRequest request;
        /** The answer, once its head came; its body as far as it is kept, read on the connection's event loop. */
        private volatile HttpClientResponse response;
        private final Buffer kept = Buffer.buffer();
        private long timer;

        Exchange(Map<String, String> headers, Duration timeout, boolean proxied, boolean forwarded, HttpClient client,
                int limit) {
            this.headers = headers;
            this.timeout = timeout;
            this.proxied = proxied;
            this.forwarded = forwarded;
            this.client = client;
            this.limit = limit;
        }

        CompletableFuture<AttemptResult> run(RequestOptions options, byte[] body) {
            timer = vertx.setTimer(timeout.toMillis(), id -> {
                // Recorded before the reset: resetting fails the request at once, which must not name the failure. An
                // answer whose head came in time is that answer (a 2xx within the timeout is a success, SPEC §3),
                // with the part of its body read so far.
                HttpClientResponse head = response;
                complete(head != null ? answer(head, kept) : AttemptResult.error(started, elapsed(), headers,
                        "timeout", "No complete answer within " + timeout.toMillis() + " ms"));
                if (request != null) {
                    request.reset();
                }
            });
            client.request(options).onComplete(connected -> {
                if (finished.get()) { // the connection came after the attempt timed out: nothing is sent on it
                    if (connected.succeeded()) {
                        connected.result().reset();
                    }
                    return;
                }
                if (connected.failed()) {
                    // with a proxy, a connection that could not be had is the proxy's failure, but a TLS one
                    String errorClass = ErrorClasses.of(connected.cause());
                    fail(connected.cause(), proxied && !"tls_error".equals(errorClass) ? "proxy" : errorClass);
                    return;
                }
                request = connected.result();
                if (finished.get()) { // timed out meanwhile, after the check above: reset, and sent nothing
                    request.reset();
                    return;
                }
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
            this.response = response;
            long[] total = {0};
            response.handler(chunk -> {
                total[0] += chunk.length();
                synchronized (kept) { // the timer may read it from another event loop
                    if (kept.length() < limit) {
                        kept.appendBuffer(chunk, 0, Math.min(chunk.length(), limit - kept.length()));
                    }
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
            fail(cause, ErrorClasses.of(cause));
        }

        private void fail(Throwable cause, String errorClass) {
            String message = ErrorClasses.message(cause);
            // the proxy's own address (in a failure to connect to it) is not the customer's to learn
            complete(AttemptResult.error(started, elapsed(), headers, errorClass, "proxy".equals(errorClass)
                    ? "through the proxy: " + SOCKET_ADDRESS.matcher(message).replaceAll("its address") : message));
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
            byte[] read;
            synchronized (kept) {
                read = kept.getBytes();
            }
            String body = clean(new String(read, StandardCharsets.UTF_8));
            if (forwarded && status >= 500 && proxysOwn(response.headers())) {
                // no status of the endpoint's; what the proxy said is kept with the attempt
                return new AttemptResult(started, elapsed(), headers, null, answer, body, "proxy", "through the "
                        + "proxy: it answered " + status + " " + clean(response.statusMessage()) + " itself (it could "
                        + "not reach the endpoint)");
            }
            // 407 is only ever a proxy's answer: its credentials are wrong, not the endpoint
            String errorClass = status >= 200 && status < 300 ? null
                    : status >= 300 && status < 400 ? "redirect" : proxied && status == 407 ? "proxy" : "http_status";
            return new AttemptResult(started, elapsed(), headers, status, answer, body, errorClass, null);
        }

        private long elapsed() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    /**
     * Whether an answer to a plain http request sent through the proxy is the proxy's own (it could not reach the
     * endpoint), not the endpoint's: it carries RFC 9209's {@code Proxy-Status} with an error, or Squid's
     * {@code X-Squid-Error}, or it has no {@code Via} (which a proxy adds to what it forwards) and its {@code Server}
     * is a proxy's (tinyproxy, Squid). An https request goes through a tunnel, where the proxy cannot answer.
     */
    static boolean proxysOwn(io.vertx.core.MultiMap headers) {
        String proxyStatus = headers.get("Proxy-Status");
        if (proxyStatus != null && proxyStatus.contains("error=") || headers.contains("X-Squid-Error")) {
            return true;
        }
        String server = headers.get("Server");
        return !headers.contains("Via") && server != null && PROXY_SERVERS.matcher(server).find();
    }

    /** PostgreSQL text and jsonb refuse NUL: an endpoint's answer must not be able to break the attempt log. */
    static String clean(String value) {
        return value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD');
    }
}
