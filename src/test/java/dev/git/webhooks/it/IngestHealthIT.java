package dev.git.webhooks.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.local.EmbeddedKafkaBroker;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * Health tells the truth fast: the packaged service on a broker of its own, which the test stops. Readiness (the
 * database) answers within a second whatever Kafka does; the {@code ingest} group reports the broker and a record
 * the consumer cannot move past. Health is served on the management port only; the public port is as the Ingress of
 * deploy/kubernetes sees it (the ConfigMap's proxy settings).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestHealthIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        Infrastructure.startOnce();
        dir = Files.createTempDirectory("ingest-health-");
        broker = EmbeddedKafkaBroker.start(dir, 0);
        dir = broker.dataDir(); // where it restarts
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(Infrastructure.TOPICS.stream().map(t -> new NewTopic(t, 2, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
        Map<String, String> env = ServiceProcess.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("WEBHOOKS_INGEST_STALL_AFTER", "3s");
        env.put("WEBHOOKS_INGEST_BROKER_CHECK_INTERVAL", "1s");
        env.put("WEBHOOKS_INGEST_FAILURE_BACKOFF", "200ms");
        env.put("WEBHOOKS_INGEST_MAX_FAILURE_BACKOFF", "1s");
        JsonNode configMap = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy", "kubernetes",
                "configmap.yaml").toFile()).path("data");
        configMap.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("QUARKUS_HTTP_PROXY_")) {
                env.put(name, configMap.path(name).asText());
            }
        });
        service = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90));
        await("the ingest group is UP").atMost(Duration.ofSeconds(30))
                .until(() -> get("/q/health/group/ingest").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        Db.update("drop trigger if exists test_unavailable on event");
        if (service != null) {
            service.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** As in production: the public port (the one the Service exposes) serves neither health nor metrics. */
    @Test
    @Order(0)
    void healthAndMetricsAreServedOnTheManagementPortOnly() throws Exception {
        for (String path : List.of("/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi")) {
            HttpResponse<String> publicAnswer = get(service.baseUrl(), path);
            assertEquals(404, publicAnswer.statusCode(), path + " on the public port: " + publicAnswer.body());
            assertThat(publicAnswer.body(), containsString("\"not_found\""));
            assertEquals(200, get(path).statusCode(), path + " on the management port");
        }
    }

    /**
     * Behind the Ingress, which ends TLS: with the ConfigMap's proxy settings the console's redirects keep the https
     * address the browser used (its session cookie is Secure), not the plain http the service is reached by.
     */
    @Test
    @Order(0)
    void behindTheIngressRedirectsKeepHttps() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/console"))
                .header("X-Forwarded-Proto", "https").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, answer.statusCode(), answer.body());
        assertThat(answer.headers().firstValue("Location").orElse(""), startsWith("https://"));
    }

    @Test
    @Order(1)
    void aRecordTheConsumerCannotMovePastTurnsTheIngestGroupDown() throws Exception {
        String owner = "stuck-" + Ids.random(8);
        String key = service.newKey(owner, List.of("webhooks:write"));
        String path = Receivers.newPath();
        Receivers.server().stubFor(WireMock.post(WireMock.urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        service.as(key).body(Map.of("url", Receivers.url(path), "events", List.of("*"))).post("/v2/webhooks")
                .then().statusCode(201);
        // PostgreSQL "cannot connect now" for this owner's events: the store fails as in an outage, every time
        Db.update("create or replace function test_unavailable() returns trigger language plpgsql as $$ begin "
                + "raise exception 'simulated outage' using errcode = '57P03'; end $$");
        Db.update("create trigger test_unavailable before insert on event for each row when (new.owner = '"
                + owner + "') execute function test_unavailable()");
        String event = Kafka.newEventId();
        publish(owner, Kafka.event("repo.push", event, owner, null));

        await("the ingest group reports the stall").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> group = timed("/q/health/group/ingest");
            assertEquals(503, group.statusCode(), group.body());
            assertThat(group.body(), containsString("\"ingest-progress\""));
            assertThat(group.body(), containsString("57P03"));
        });
        HttpResponse<String> ready = timed("/q/health/ready");
        assertEquals(200, ready.statusCode(), "readiness is the database's only: " + ready.body());
        String metrics = get("/q/metrics").body();
        double stalled = gauge(metrics, "webhooks_ingest_stalled_seconds");
        assertThat("the stalled gauge", stalled, greaterThanOrEqualTo(3.0));

        Db.update("drop trigger test_unavailable on event");
        await("ingest moves on").atMost(Duration.ofSeconds(20))
                .until(() -> Receivers.received(path).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> timed("/q/health/group/ingest").statusCode() == 200);
    }

    @Test
    @Order(2)
    void withTheBrokerStoppedReadinessAnswersAtOnceAndTheIngestGroupIsDown() throws Exception {
        int port = broker.port();
        broker.close();
        broker = null;
        await("the ingest group reports the broker").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> group = timed("/q/health/group/ingest");
            assertEquals(503, group.statusCode(), group.body());
            assertThat(group.body(), containsString("\"kafka-broker\""));
        });
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> ready = timed("/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals(503, timed("/q/health/group/ingest").statusCode());
        }
        assertThat(get("/q/metrics").body(), containsString("webhooks_ingest_broker_up 0.0"));

        broker = EmbeddedKafkaBroker.start(dir, port);
        await("the ingest group recovers with the broker").atMost(Duration.ofSeconds(60))
                .until(() -> timed("/q/health/group/ingest").statusCode() == 200);
    }

    /** A health request that must answer within a second. */
    private static HttpResponse<String> timed(String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = get(path);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(path + " answered in " + millis + " ms", millis, lessThan(1000L));
        return response;
    }

    /** A request to the management port, where health and metrics are served. */
    private static HttpResponse<String> get(String path) throws Exception {
        return get(service.managementUrl(), path);
    }

    private static HttpResponse<String> get(String base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double gauge(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElse(-1);
    }

    private static void publish(String key, String value) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>("repo.push", key.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
    }
}
