package dev.git.webhooks.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logmanager.MDC;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * One trace from the producer to every attempt: the producer's {@code traceparent} Kafka header is continued by the
 * attempts (retries claimed later from the queue too), the ingest batch is a trace of its own linked to it, and the
 * statements that store the batch are its children. Tracing is switched on the way an operator does it, by naming
 * an OTLP endpoint; the in-memory exporter bean takes the spans instead of OTLP.
 */
@QuarkusTest
@TestProfile(TracingTest.Traced.class)
class TracingTest {

    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:4317",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Inject
    Tracing tracing;

    private Api.Owner owner;

    @BeforeEach
    void newOwner() {
        owner = Api.newOwner();
    }

    @Test
    void theProducersTraceRunsThroughTheBatchToEveryAttemptRetriesIncluded() {
        assertThat("an OTLP endpoint switches tracing on", tracing.enabled(), equalTo(true));
        String path = Receivers.newPath();
        Receivers.firstThen(path, aResponse().withStatus(500), aResponse().withStatus(200));
        String endpointId = Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*")));
        String traceId = hex(16);
        String producerSpan = hex(8);
        String eventId = publish("deploy.success", "00-" + traceId + "-" + producerSpan + "-01");

        List<SpanData> attempts = await().atMost(Duration.ofSeconds(15)).until(() -> attempts(eventId),
                list -> list.size() == 2);
        SpanData first = attempts.get(0);
        SpanData retry = attempts.get(1);
        for (SpanData attempt : attempts) {
            assertThat(attempt.getTraceId(), equalTo(traceId));
            assertThat(attempt.getParentSpanId(), equalTo(producerSpan));
            assertThat(attempt.getKind(), equalTo(SpanKind.CLIENT));
            assertThat(string(attempt, "webhooks.owner"), equalTo(owner.name()));
            assertThat(string(attempt, "webhooks.endpoint.id"), equalTo(endpointId));
            assertThat(string(attempt, "webhooks.event.type"), equalTo("deploy.success"));
            assertThat(string(attempt, "webhooks.delivery.id"), equalTo(string(first, "webhooks.delivery.id")));
            assertThat(number(attempt, "webhooks.attempt.duration_ms"), greaterThanOrEqualTo(0L));
        }
        assertThat(number(first, "webhooks.attempt"), equalTo(1L));
        assertThat(number(first, "http.response.status_code"), equalTo(500L));
        assertThat(string(first, "error.type"), equalTo("http_status"));
        assertThat(string(first, "webhooks.delivery.status"), equalTo("pending"));
        assertThat(first.getStatus().getStatusCode(), equalTo(StatusCode.ERROR));
        assertThat(number(retry, "webhooks.attempt"), equalTo(2L));
        assertThat(number(retry, "http.response.status_code"), equalTo(200L));
        assertThat(string(retry, "error.type"), nullValue());
        assertThat(string(retry, "webhooks.delivery.status"), equalTo("delivered"));
        assertThat(retry.getStatus().getStatusCode(), equalTo(StatusCode.UNSET));

        SpanData batch = batchLinkedTo(traceId);
        assertThat(batch.getLinks().stream().filter(l -> l.getSpanContext().getTraceId().equals(traceId))
                .map(l -> l.getSpanContext().getSpanId()).toList(), contains(producerSpan));
        assertThat("the batch is a trace of its own", batch.getTraceId(), not(equalTo(traceId)));
        assertThat(batch.getParentSpanContext().isValid(), equalTo(false));
        assertThat(batch.getKind(), equalTo(SpanKind.CONSUMER));
        assertThat(number(batch, "webhooks.ingest.records"), greaterThanOrEqualTo(1L));
        assertThat(number(batch, "webhooks.ingest.stored"), greaterThanOrEqualTo(1L));
        assertThat(number(batch, "webhooks.ingest.dead_lettered"), equalTo(0L));
        assertThat(number(batch, "webhooks.ingest.duration_ms"), greaterThanOrEqualTo(0L));
        assertThat("the fresh attempt links to the batch that stored it", linkedSpans(first),
                hasItem(batch.getSpanId()));
        assertThat("the retry was claimed from the queue, not by the batch", linkedSpans(retry), empty());

        List<SpanData> statements = await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems()
                .stream().filter(s -> s.getParentSpanId().equals(batch.getSpanId()) && isDatabase(s)).toList(),
                list -> !list.isEmpty());
        assertThat("JDBC spans of the batch's transaction", statements.get(0).getTraceId(),
                equalTo(batch.getTraceId()));

        assertThat("statements outside traced work (poller, heartbeat, recorder) are left out",
                spans.getFinishedSpanItems().stream().filter(s -> isDatabase(s)
                        && !s.getParentSpanContext().isValid()).map(SpanData::getName).toList(), empty());

        Receivers.received(path).forEach(request -> assertThat("our trace stays ours",
                request.getHeader("traceparent"), nullValue()));
    }

    @Test
    void anEventWithoutATraceContextIsStillTraced() {
        String path = Receivers.newPath();
        Receivers.firstThen(path, aResponse().withStatus(204), aResponse().withStatus(204));
        Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*")));
        String eventId = publish("repo.push", null);

        SpanData attempt = await().atMost(Duration.ofSeconds(10)).until(() -> attempts(eventId),
                list -> list.size() == 1).get(0);
        assertThat("a root span", attempt.getParentSpanContext().isValid(), equalTo(false));
        assertThat(attempt.getStatus().getStatusCode(), equalTo(StatusCode.UNSET));
        assertThat(number(attempt, "http.response.status_code"), equalTo(204L));
        assertThat(attempt.getLinks(), hasSize(1));
        SpanContext batch = attempt.getLinks().get(0).getSpanContext();
        assertThat("linked to the ingest batch", spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(batch.getSpanId())).map(SpanData::getName).toList(),
                contains("ingest batch"));
    }

    @Test
    void aPingContinuesTheTraceOfTheRequestThatAskedForIt() {
        String path = Receivers.newPath();
        Receivers.firstThen(path, aResponse().withStatus(200), aResponse().withStatus(200));
        String hook = Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*")));
        Response ping = owner.request().post("/v2/webhooks/" + hook + "/ping");
        ping.then().statusCode(202);
        String eventId = Json.at(ping, "event_id");

        SpanData attempt = await().atMost(Duration.ofSeconds(10)).until(() -> attempts(eventId),
                list -> list.size() == 1).get(0);
        SpanData request = await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(attempt.getParentSpanId())).toList(), list -> list.size() == 1)
                .get(0);
        assertThat(request.getKind(), equalTo(SpanKind.SERVER));
        assertThat(request.getTraceId(), equalTo(attempt.getTraceId()));
    }

    @Test
    void logLinesCarryTheIdsOfTheirTraceAndSpan() {
        // what the console format's %X{traceId} and %X{spanId} print: the MDC of the thread that logs
        List<Map<String, String>> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().startsWith("Dead-lettered")) {
                    lines.add(Map.of("traceId", String.valueOf(MDC.get("traceId")),
                            "spanId", String.valueOf(MDC.get("spanId"))));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        // the per-record dead-letter line (DEBUG) is the one written inside the batch's span
        Logger logger = Logger.getLogger("dev.git.webhooks.ingest.EventConsumer");
        Level level = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(handler);
        try {
            String traceId = hex(16);
            send("repo.push", "not an event", "00-" + traceId + "-" + hex(8) + "-01");
            SpanData batch = batchLinkedTo(traceId);
            assertThat(number(batch, "webhooks.ingest.dead_lettered"), equalTo(1L));
            await().atMost(Duration.ofSeconds(5)).until(() -> lines, list -> list.contains(Map.of(
                    "traceId", batch.getTraceId(), "spanId", batch.getSpanId())));
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }
    }

    @Test
    void anAttemptsLogLinesCarryItsTraceAndSpanIds() {
        // the attempt's span is never current: its lines are written on the delivery client's event loop, or on the
        // engine's thread when the answer came before the engine had chained its steps; on neither is it current
        List<Map<String, String>> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().matches("Attempt \\S+ of dlv_.*")) {
                    lines.add(Map.of("traceId", String.valueOf(MDC.get("traceId")),
                            "spanId", String.valueOf(MDC.get("spanId")),
                            "current", Span.current().getSpanContext().getSpanId(),
                            "thread", Thread.currentThread().getName()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        // the per-attempt line (DEBUG) of the runner
        Logger logger = Logger.getLogger("dev.git.webhooks.delivery.AttemptRunner");
        Level level = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(handler);
        try {
            String path = Receivers.newPath();
            Receivers.firstThen(path, aResponse().withStatus(500), aResponse().withStatus(200));
            Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*")));
            String traceId = hex(16);
            String eventId = publish("deploy.failed", "00-" + traceId + "-" + hex(8) + "-01");
            List<SpanData> attempts = await().atMost(Duration.ofSeconds(15)).until(() -> attempts(eventId),
                    list -> list.size() == 2);
            for (SpanData attempt : attempts) {
                Map<String, String> line = await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream()
                        .filter(l -> l.get("spanId").equals(attempt.getSpanId())).findFirst().orElse(null),
                        l -> l != null);
                assertThat(line.get("traceId"), equalTo(traceId));
                assertThat("written where the span is not current", line.get("current"),
                        not(equalTo(attempt.getSpanId())));
                assertThat("written by the delivery client or the engine", line.get("thread"),
                        anyOf(startsWith("vert.x-eventloop"), equalTo("delivery-engine")));
            }
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }
    }

    private String publish(String type, String traceparent) {
        String id = Kafka.newEventId();
        send(type, Kafka.event(type, id, owner.name(), null), traceparent);
        return id;
    }

    private void send(String type, String value, String traceparent) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(type, owner.name().getBytes(
                StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        if (traceparent != null) {
            record.headers().add(TraceParent.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        try {
            Kafka.producer().send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<SpanData> attempts(String eventId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("delivery attempt")
                && eventId.equals(string(s, "webhooks.event.id")))
                .sorted(Comparator.comparing((SpanData s) -> number(s, "webhooks.attempt"))).toList();
    }

    private SpanData batchLinkedTo(String traceId) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("ingest batch") && s.getLinks().stream()
                        .anyMatch(l -> l.getSpanContext().getTraceId().equals(traceId))).toList(),
                list -> list.size() == 1).get(0);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(random);
    }

    private static List<String> linkedSpans(SpanData span) {
        return span.getLinks().stream().map(LinkData::getSpanContext).map(SpanContext::getSpanId).toList();
    }

    private static boolean isDatabase(SpanData span) {
        return span.getKind() == SpanKind.CLIENT && span.getAttributes().asMap().keySet().stream()
                .anyMatch(key -> key.getKey().startsWith("db."));
    }

    private static String string(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    private static Long number(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.longKey(key));
    }
}
