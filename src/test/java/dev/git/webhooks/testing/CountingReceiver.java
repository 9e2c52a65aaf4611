package dev.git.webhooks.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * A customer endpoint for the fault tests that run at the machine's limit, where WireMock's request journal would be
 * the bottleneck: one Vert.x server, one path per endpoint, each path answering as the test says (a status, after a
 * delay, or never). It keeps only what the tests assert: which (path, event) pairs and deliveries were accepted and
 * how often, when each pair was first accepted, and the most requests one path had in flight at once.
 */
public final class CountingReceiver implements AutoCloseable {

    /** How a path answers: {@code status} after {@code delayMillis}; {@code hangs}: never. */
    public record Answer(int status, long delayMillis, boolean hangs, int refuseOncePercent) {
        public static Answer ok() {
            return okAfter(0);
        }

        public static Answer okAfter(long delayMillis) {
            return new Answer(204, delayMillis, false, 0);
        }

        /**
         * {@link #okAfter}, but the first request of about {@code percent} % of the events (chosen by a hash of the
         * path and the event id) is refused with a 503.
         */
        public static Answer okAfterRefusingOnce(long delayMillis, int percent) {
            return new Answer(204, delayMillis, false, percent);
        }

        public static Answer status(int status) {
            return new Answer(status, 0, false, 0);
        }

        public static Answer hang() {
            return new Answer(0, 0, true, 0);
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    /** "path event-id" → times accepted. */
    private final Map<String, AtomicInteger> pairs = new ConcurrentHashMap<>();
    /** "path event-id" → when first accepted (System.nanoTime). */
    private final Map<String, Long> firstAccepted = new ConcurrentHashMap<>();
    /** delivery id → times accepted. */
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    /** "path event-id" of requests to refuse (503) the first time they come. */
    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    /** "path event-id" already refused once by an answer that refuses some ({@link Answer#refuseOncePercent}). */
    private final Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Map<String, AtomicLong> requestsByPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> acceptedByPath = new ConcurrentHashMap<>();

    private CountingReceiver(Vertx vertx) {
        this.vertx = vertx;
        this.server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(120));
        server.requestHandler(request -> request.body().onComplete(body -> handle(request)));
    }

    public static CountingReceiver start() throws Exception {
        CountingReceiver receiver = new CountingReceiver(Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)));
        receiver.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return receiver;
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        requests.incrementAndGet();
        requestsByPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        Answer answer = answers.getOrDefault(path, Answer.ok());
        if (answer.hangs()) {
            return;
        }
        int now = inFlight.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(path, p -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        String event = path + " " + request.getHeader("webhook-id");
        boolean refused = failOnce.remove(event) || answer.refuseOncePercent() > 0
                && Math.floorMod(event.hashCode(), 100) < answer.refuseOncePercent() && refusedOnce.add(event);
        int status = refused ? 503 : answer.status();
        // In flight until answered, or until the sender gives up on it (its timeout resets the connection): a request
        // the sender abandoned is no longer one of its attempts in flight, though this receiver had not answered it.
        AtomicBoolean ended = new AtomicBoolean();
        request.response().closeHandler(closed -> {
            if (ended.compareAndSet(false, true)) {
                inFlight.get(path).decrementAndGet();
            }
        });
        Runnable respond = () -> {
            if (ended.compareAndSet(false, true)) {
                inFlight.get(path).decrementAndGet();
            }
            if (status / 100 == 2) {
                firstAccepted.putIfAbsent(event, System.nanoTime());
                pairs.computeIfAbsent(event, p -> new AtomicInteger()).incrementAndGet();
                String delivery = request.getHeader("X-Webhook-Delivery");
                if (delivery != null) {
                    deliveries.computeIfAbsent(delivery, d -> new AtomicInteger()).incrementAndGet();
                }
                accepted.incrementAndGet();
                acceptedByPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
            }
            request.response().setStatusCode(status).end();
        };
        if (answer.delayMillis() > 0) {
            vertx.setTimer(answer.delayMillis(), t -> respond.run());
        } else {
            respond.run();
        }
    }

    /** The URL of a new endpoint path that answers {@code answer}. */
    public String endpoint(String name, Answer answer) {
        String path = "/" + name;
        answers.put(path, answer);
        return url(path);
    }

    /** The first request of each of these events to endpoint {@code name} is refused (503); later ones as usual. */
    public void failOnce(String name, java.util.Collection<String> eventIds) {
        eventIds.forEach(id -> failOnce.add("/" + name + " " + id));
    }

    /** The events endpoint {@code name} accepted, in the order it first accepted each. */
    public java.util.List<String> acceptedInOrder(String name) {
        String prefix = "/" + name + " ";
        return firstAccepted.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted(Map.Entry.comparingByValue()).map(e -> e.getKey().substring(prefix.length())).toList();
    }

    public void answer(String name, Answer answer) {
        answers.put("/" + name, answer);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    public long requests() {
        return requests.get();
    }

    public long accepted() {
        return accepted.get();
    }

    /** Requests the endpoint {@code name} received, answered or not. */
    public long requests(String name) {
        AtomicLong n = requestsByPath.get("/" + name);
        return n == null ? 0 : n.get();
    }

    /** Requests the endpoint {@code name} accepted (answered 2xx). */
    public long accepted(String name) {
        AtomicLong n = acceptedByPath.get("/" + name);
        return n == null ? 0 : n.get();
    }

    /** Whether the endpoint {@code name} accepted event {@code eventId}. */
    public boolean got(String name, String eventId) {
        return pairs.containsKey("/" + name + " " + eventId);
    }

    /** When the endpoint first accepted the event (System.nanoTime), or null. */
    public Long firstAccepted(String name, String eventId) {
        return firstAccepted.get("/" + name + " " + eventId);
    }

    /** Accepted requests that repeated an (endpoint, event) pair accepted before. */
    public long duplicatePairs() {
        return pairs.values().stream().mapToLong(c -> c.get() - 1L).sum();
    }

    /** Delivery ids accepted more than once. */
    public Set<String> duplicatedDeliveries() {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        deliveries.forEach((id, count) -> {
            if (count.get() > 1) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Delivery ids accepted so far. */
    public Set<String> acceptedDeliveries() {
        return Set.copyOf(deliveries.keySet());
    }

    /** The most requests the endpoint {@code name} had in flight at once. */
    /** Requests to endpoint {@code name} received and not answered yet. */
    public int inFlight(String name) {
        AtomicInteger n = inFlight.get("/" + name);
        return n == null ? 0 : n.get();
    }

    public int maxInFlight(String name) {
        AtomicInteger max = maxInFlight.get("/" + name);
        return max == null ? 0 : max.get();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
