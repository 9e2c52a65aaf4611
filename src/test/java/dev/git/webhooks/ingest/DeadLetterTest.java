package dev.git.webhooks.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DeadLetterTest {

    @Test
    void deadLettersBadRecordsAndKeepsConsuming() {
        Api.Owner owner = Api.newOwner();
        String path = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        Api.createWebhook(owner, Map.of("url", Receivers.url(path), "events", List.of("*")));
        String o = owner.name();

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(offset("repo.push", "{not json"), "invalid_json");
        expected.put(offset("repo.push", "[1,2,3]"), "invalid_json");
        expected.put(offset("repo.push", "{\"a\":1}{\"b\":2}"), "invalid_json");
        expected.put(offset("repo.push", "{\"event\":\"repo.push\",\"id\":\"x\",\"id\":\"y\"}"), "invalid_json");
        expected.put(offset("repo.push", new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'}), "invalid_encoding");
        expected.put(offset("repo.push", ""), "empty");
        expected.put(offset("repo.push", Kafka.event("repo.push", "evt_big", o, null)
                .replace("{\"n\":1}", "{\"pad\":\"" + "x".repeat(20_000) + "\"}")), "too_large");
        expected.put(offset("repo.push", Kafka.event("repo.pull", "evt_x1", o, null)), "unknown_event_type");
        expected.put(offset("repo.push", Kafka.event("pr.merged", "evt_x2", o, null)), "topic_mismatch");
        expected.put(offset("repo.push", "{\"event\":\"repo.push\",\"id\":\"evt_x3\",\"owner\":\"" + o
                + "\",\"data\":{}}"), "missing_field");
        expected.put(offset("repo.push", Kafka.event("repo.push", "bad id!", o, null)), "invalid_field");
        expected.put(offset("repo.push", Kafka.event("repo.push", "evt_x4", o, null)
                .replace("2025-01-20T14:35:22Z", "yesterday")), "invalid_field");
        expected.put(offset("repo.push", Kafka.event("repo.push", "evt_x5", "bad owner", null)), "invalid_field");
        expected.put(offset("repo.push", Kafka.event("repo.push", "evt_x6", o, "norepo")), "invalid_field");
        expected.put(offset("repo.push", Kafka.event("repo.push", "evt_x7", o, null)
                .replace("{\"n\":1}", "[1]")), "invalid_field");

        String good = Kafka.newEventId();
        Kafka.publish("repo.push", o, Kafka.event("repo.push", good, o, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(path).size() == 1);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, ConsumerRecord<byte[], byte[]>> letters = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> letter : Kafka.deadLetters()) {
                letters.put(Kafka.header(letter, "webhooks.dlq.source.partition") + "@"
                        + Kafka.header(letter, "webhooks.dlq.source.offset"), letter);
            }
            for (Map.Entry<String, String> e : expected.entrySet()) {
                ConsumerRecord<byte[], byte[]> letter = letters.get(e.getKey());
                assertThat("dead letter for " + e.getKey(), letter, notNullValue());
                assertThat(Kafka.header(letter, "webhooks.dlq.reason"), equalTo(e.getValue()));
                assertThat(Kafka.header(letter, "webhooks.dlq.source.topic"), equalTo("repo.push"));
                assertThat(Kafka.header(letter, "webhooks.dlq.message"), notNullValue());
            }
        });
        assertThat(Receivers.received(path), hasSize(1));
    }

    /**
     * An event whose id was seen before with other bytes (another owner's event, or the same owner's with another
     * payload) is dead-lettered as {@code id_conflict}, not counted as a duplicate and dropped; the same record read
     * again stays a quiet duplicate.
     */
    @Test
    void anEventWhoseIdIsAnotherOwnersIsDeadLetteredAsAnIdConflict() {
        Api.Owner first = Api.newOwner();
        Api.Owner second = Api.newOwner();
        String firstPath = Receivers.newPath();
        String secondPath = Receivers.newPath();
        Receivers.server().stubFor(post(urlEqualTo(firstPath)).willReturn(aResponse().withStatus(200)));
        Receivers.server().stubFor(post(urlEqualTo(secondPath)).willReturn(aResponse().withStatus(200)));
        Api.createWebhook(first, Map.of("url", Receivers.url(firstPath), "events", List.of("*")));
        Api.createWebhook(second, Map.of("url", Receivers.url(secondPath), "events", List.of("*")));
        String id = Kafka.newEventId();
        Kafka.publish("repo.push", first.name(), Kafka.event("repo.push", id, first.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(firstPath).size() == 1);
        String again = offset("repo.push", Kafka.event("repo.push", id, first.name(), null));
        String taken = offset("repo.push", Kafka.event("repo.push", id, second.name(), null));
        String changed = offset("repo.push", Kafka.event("repo.push", id, first.name(), first.name() + "/api"));
        String after = Kafka.newEventId();
        Kafka.publish("repo.push", second.name(), Kafka.event("repo.push", after, second.name(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> Receivers.received(secondPath).size() == 1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, String> reasons = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> letter : Kafka.deadLetters()) {
                reasons.put(Kafka.header(letter, "webhooks.dlq.source.partition") + "@"
                        + Kafka.header(letter, "webhooks.dlq.source.offset"), Kafka.header(letter,
                                "webhooks.dlq.reason"));
            }
            assertThat(reasons.get(taken), equalTo("id_conflict"));
            assertThat("the same owner's id with another payload", reasons.get(changed), equalTo("id_conflict"));
            assertThat("the owner's own redelivery is a duplicate, not a conflict", reasons.get(again), nullValue());
        });
        assertThat(Receivers.received(firstPath), hasSize(1));
        assertThat("the second owner's endpoint got only its own event",
                Receivers.received(secondPath).get(0).getHeader("webhook-id"), equalTo(after));
    }

    private static String offset(String topic, String value) {
        return offset(topic, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String offset(String topic, byte[] value) {
        RecordMetadata sent = Kafka.publish(topic, "k", value);
        return sent.partition() + "@" + sent.offset();
    }
}
