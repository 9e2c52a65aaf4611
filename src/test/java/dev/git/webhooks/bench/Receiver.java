package dev.git.webhooks.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * A fast local customer endpoint: answers 204 at once and notes when each delivery arrived. Paths under
 * {@code /hang/} accept the request and never answer (a dead endpoint that still takes connections).
 */
final class Receiver implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    private final Map<String, Long> eventArrival = new ConcurrentHashMap<>();
    private volatile long lastArrival;
    /** Per first path segment ("/free/"…): events first arrived, and when the last one did. */
    private final Map<String, AtomicLong> arrivedUnder = new ConcurrentHashMap<>();
    /** Every request per segment, the same event's many deliveries too (a backlog written straight into the queue). */
    private final Map<String, AtomicLong> requestsUnder = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUnder = new ConcurrentHashMap<>();

    Receiver(Vertx vertx) throws InterruptedException {
        this.vertx = vertx;
        this.server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(120));
        server.requestHandler(request -> request.body().onComplete(body -> {
            requestsUnder.computeIfAbsent(segment(request.path()), s -> new AtomicLong()).incrementAndGet();
            if (request.path().startsWith("/hang/")) {
                return;
            }
            long now = System.currentTimeMillis();
            requests.incrementAndGet();
            String delivery = request.getHeader("X-Webhook-Delivery");
            if (delivery != null) {
                firstArrival.putIfAbsent(delivery, now);
                String event = request.getHeader("webhook-id");
                if (event != null && eventArrival.putIfAbsent(event + "|" + request.path(), now) == null) {
                    String segment = segment(request.path());
                    arrivedUnder.computeIfAbsent(segment, s -> new AtomicLong()).incrementAndGet();
                    lastUnder.put(segment, now);
                }
            }
            lastArrival = now;
            request.response().setStatusCode(204).end();
        }));
        CountDownLatch started = new CountDownLatch(1);
        server.listen(0, "127.0.0.1").onComplete(ar -> started.countDown());
        started.await(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    long requests() {
        return requests.get();
    }

    int distinctDeliveries() {
        return firstArrival.size();
    }

    long lastArrival() {
        return lastArrival;
    }

    /** When event {@code id} first reached the endpoint at {@code path}, or null. */
    Long arrival(String id, String path) {
        return eventArrival.get(id + "|" + path);
    }

    void reset() {
        requests.set(0);
        firstArrival.clear();
        eventArrival.clear();
        arrivedUnder.clear();
        requestsUnder.clear();
        lastUnder.clear();
    }

    private static String segment(String path) {
        int end = path.indexOf('/', 1);
        return end < 0 ? path : path.substring(0, end + 1);
    }

    /** Events that first reached an endpoint under {@code segment} ("/free/"), and when the last of them did. */
    long arrivedUnder(String segment) {
        AtomicLong n = arrivedUnder.get(segment);
        return n == null ? 0 : n.get();
    }

    long requestsUnder(String segment) {
        AtomicLong n = requestsUnder.get(segment);
        return n == null ? 0 : n.get();
    }

    long lastArrivalUnder(String segment) {
        return lastUnder.getOrDefault(segment, 0L);
    }

    @Override
    public void close() {
        server.close();
    }

    Vertx vertx() {
        return vertx;
    }
}
