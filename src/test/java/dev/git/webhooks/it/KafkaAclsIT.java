package dev.git.webhooks.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.testing.Infrastructure;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import dev.git.webhooks.testing.SecuredBroker;
import dev.git.webhooks.testing.ServiceProcess;

/**
 * The Kafka ACLs of docs/operations.md are all the service needs: on a broker with an authorizer, the packaged service
 * authenticates as a principal that has exactly the rights the runbook's {@code kafka-acls} commands grant (read from
 * the runbook), and every Kafka client of it works: the ingest consumer and its group, the dead-letter producer, the
 * dead-letter indexer and its group, the redrive producer, the broker health check. Nothing is logged as refused.
 */
class KafkaAclsIT {

    private static final Path RUNBOOK = Path.of("docs", "operations.md");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theRunbooksAclsAreEnoughForEveryKafkaClientOfTheService() throws Exception {
        Infrastructure.startOnce();
        try (SecuredBroker broker = SecuredBroker.start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.internalServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            Infrastructure.TOPICS.forEach(t -> topics.add(new NewTopic(t, 2, (short) 1)));
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            try (Admin unauthorized = Admin.create(broker.clientProperties())) {
                ExecutionException refused = assertThrows(ExecutionException.class, () -> unauthorized
                        .describeTopics(List.of("repo.push")).allTopicNames().get(10, TimeUnit.SECONDS));
                assertThat("the broker refuses what no ACL grants", refused.getCause(),
                        instanceOf(TopicAuthorizationException.class));
            }
            List<AclBinding> acls = runbookAcls();
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);

            Map<String, String> env = ServiceProcess.environment();
            env.putAll(broker.clientEnvironment());
            env.put("WEBHOOKS_INGEST_BROKER_CHECK_INTERVAL", "1s");
            try (ServiceProcess service = ServiceProcess.start(env).awaitReady(Duration.ofSeconds(90));
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                            broker.internalServers(), "key.serializer", ByteArraySerializer.class.getName(),
                            "value.serializer", ByteArraySerializer.class.getName()))) {
                await("the ingest group is UP: the broker check and the consumer work").atMost(Duration.ofSeconds(30))
                        .until(() -> get(service.managementUrl() + "/q/health/group/ingest") == 200);
                String owner = "acl-" + Ids.random(8);
                String path = Receivers.newPath();
                Receivers.server().stubFor(WireMock.post(WireMock.urlEqualTo(path))
                        .willReturn(WireMock.aResponse().withStatus(204)));
                service.as(service.newKey(owner, List.of("webhooks:write")))
                        .body(Map.of("url", Receivers.url(path), "events", List.of("*"))).post("/v2/webhooks")
                        .then().statusCode(201);
                String operator = service.newOperatorKey(List.of("ops:read", "ops:replay"));

                // ingest reads an event topic in its group
                String stored = Kafka.newEventId();
                send(producer, "repo.push", owner, Kafka.event("repo.push", stored, owner, null));
                await("the event is ingested and delivered").atMost(Duration.ofSeconds(30))
                        .until(() -> Receivers.received(path).size() == 1);
                // ingest writes a dead letter; the indexer reads it in its own group
                String marker = Ids.random(12);
                send(producer, "repo.push", owner, "{\"not an event\":\"" + marker + "\"}");
                await("the service dead-letters the record and indexes it").atMost(Duration.ofSeconds(30))
                        .until(() -> letter(service, operator, marker).isPresent());
                // the redrive producer writes back to an event topic, and ingest reads it again
                String redriven = Kafka.newEventId();
                producer.send(deadLetter("deploy.success", Kafka.event("deploy.success", redriven, owner, null)))
                        .get(10, TimeUnit.SECONDS);
                String id = await("the indexer lists the letter").atMost(Duration.ofSeconds(30))
                        .until(() -> letter(service, operator, redriven), Optional::isPresent).orElseThrow();
                service.as(operator).post("/v2/ops/dead-letters/" + id + "/redrive").then().statusCode(200)
                        .body(Json.at("state", equalTo("redriven")));
                await("the redriven event is delivered").atMost(Duration.ofSeconds(30))
                        .until(() -> Receivers.received(path).size() == 2);
                assertThat(Receivers.received(path).get(1).getHeader("webhook-id"), equalTo(redriven));
                assertThat(Receivers.received(path), hasSize(2));

                String log = service.output();
                assertThat(log, not(containsString("AuthorizationException")));
                assertThat(log, not(containsString("Not authorized")));
            }
        }
    }

    /**
     * The ACLs that the runbook's commands create: the {@code $ACLS …} lines of the Kafka ACLs section, for the
     * principal {@code P} it sets, as {@code kafka-acls --add} reads them.
     */
    static List<AclBinding> runbookAcls() throws Exception {
        String runbook = Files.readString(RUNBOOK);
        String section = runbook.substring(runbook.indexOf("### Kafka ACLs"));
        section = section.substring(0, section.indexOf("\n## ")).replace("\\\n", " ");
        String principal = section.lines().filter(l -> l.startsWith("P=")).findFirst().orElseThrow().substring(2);
        assertThat(principal, equalTo("User:" + SecuredBroker.USER));
        List<AclBinding> acls = new ArrayList<>();
        for (String line : section.lines().filter(l -> l.startsWith("$ACLS ")).toList()) {
            String[] words = line.trim().split("\\s+");
            List<AclOperation> operations = new ArrayList<>();
            List<ResourcePattern> resources = new ArrayList<>();
            for (int i = 1; i < words.length; i++) {
                switch (words[i]) {
                    case "--operation" -> operations.add(AclOperation.fromString(words[++i]));
                    case "--topic" -> resources.add(new ResourcePattern(ResourceType.TOPIC, words[++i],
                            PatternType.LITERAL));
                    case "--group" -> resources.add(new ResourcePattern(ResourceType.GROUP, words[++i],
                            PatternType.LITERAL));
                    default -> throw new IllegalStateException("the runbook's ACL command has " + words[i]
                            + ": teach this test what it means");
                }
            }
            for (ResourcePattern resource : resources) {
                for (AclOperation operation : operations) {
                    acls.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation,
                            AclPermissionType.ALLOW)));
                }
            }
        }
        assertThat("the runbook grants something", acls.size() > 5, equalTo(true));
        return acls;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
    }

    /** A dead letter as the service writes one, for a valid event that the database refused once. */
    private static ProducerRecord<byte[], byte[]> deadLetter(String source, String value) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("webhooks.dlq", null,
                value.getBytes(StandardCharsets.UTF_8));
        Map.of("reason", "unstorable", "message", "refused in a test", "source.topic", source, "source.partition",
                "0", "source.offset", "0", "failed-at", "2026-11-25T10:00:00Z").forEach((k, v) -> record.headers()
                .add("webhooks.dlq." + k, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** The id of the dead letter whose preview holds {@code marker}, as an operator lists them. */
    private static Optional<String> letter(ServiceProcess service, String operator, String marker) {
        List<Map<String, Object>> letters = service.as(operator).queryParam("limit", 100)
                .get("/v2/ops/dead-letters").then().statusCode(200).extract().as(Json.Doc.class).at("data");
        return letters.stream().filter(l -> String.valueOf(((Map<?, ?>) l.get("preview")).get("text"))
                .contains(marker)).map(l -> (String) l.get("id")).findFirst();
    }

    private static int get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
