package dev.git.webhooks.ops.deadletter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.git.webhooks.testing.Errors.assertError;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.Api;
import dev.git.webhooks.testing.Db;
import dev.git.webhooks.testing.Json;
import dev.git.webhooks.testing.Kafka;
import dev.git.webhooks.testing.Receivers;
import io.quarkus.test.junit.QuarkusTest;

/** The dead-letter topic browsed from the service: indexed, previewed safely, redriven and discarded. */
@QuarkusTest
class DeadLetterIndexTest {

    private String operator;

    @Inject
    DeadLetterStore store;

    @BeforeEach
    void operatorKey() {
        operator = Api.newOperatorKey(List.of("ops:read", "ops:replay"));
    }

    @Test
    void indexesRefusedRecordsWithASafePreview() {
        String marker = Kafka.newEventId();
        Kafka.publish("repo.push", "acme", "{\"not\":\"an event\",\"marker\":\"" + marker + "\",\"x\":\"\u202e\u0007\"}");
        Map<String, Object> letter = await().atMost(Duration.ofSeconds(15)).until(() -> find(marker),
                Optional::isPresent).orElseThrow();
        assertThat((String) letter.get("id"), startsWith("dlq_"));
        assertThat(letter.get("reason"), equalTo("invalid_json"));
        assertThat(letter.get("state"), equalTo("new"));
        assertThat(((Map<?, ?>) letter.get("source")).get("topic"), equalTo("repo.push"));
        String id = (String) letter.get("id");
        Api.as(operator).get("/v2/ops/dead-letters/" + id).then().statusCode(200)
                .body(Json.at("preview.encoding", equalTo("utf-8")))
                .body(Json.at("preview.text", containsString("\\u202e\\u0007")))
                .body(Json.at("preview.text", not(containsString("\u202e"))))
                .body(Json.at("source.offset", org.hamcrest.Matchers.notNullValue()))
                .body(Json.at("dlq.topic", equalTo("webhooks.dlq"))).body(Json.at("message", containsString("JSON")));

        Api.as(operator).post("/v2/ops/dead-letters/" + id + "/discard").then().statusCode(200)
                .body(Json.at("state", equalTo("discarded"))).body(Json.at("state_changed_by", startsWith("key_")));
        assertError(Api.as(operator).post("/v2/ops/dead-letters/" + id + "/redrive"), 409, "conflict");
        Api.as(operator).queryParam("action", "dead_letter.discard").queryParam("target", id).get("/v2/ops/audit")
                .then().body(Json.at("data", hasSize(1))).body(Json.at("data[0].result", equalTo("succeeded")));
        assertError(Api.as(operator).get("/v2/ops/dead-letters/dlq_nothing"), 404, "not_found");
    }

    @Test
    void aNewRecordAtTheOffsetOfAnIndexedOneIsANewLetterAndARecordReadTwiceIsOne() {
        // a dead-letter topic created again (or another Kafka cluster) numbers its records from 0 again
        String topic = "webhooks.dlq.again-" + dev.git.webhooks.common.Ids.random(6);
        long before = java.time.Instant.now().minus(Duration.ofDays(1)).toEpochMilli();
        ConsumerRecord<byte[], byte[]> old = record(topic, before, "{\"first\":1}");
        ConsumerRecord<byte[], byte[]> recycled = record(topic, before + 86_400_000L, "{\"second\":2}");
        assertThat(store.store(List.of(old)), equalTo(1));
        assertThat("the same record read again (a rebalance) is stored once", store.store(List.of(old)), equalTo(0));
        assertThat("a new record at the same offset is a new letter", store.store(List.of(recycled)), equalTo(1));
        assertThat(Db.query("select convert_from(record_value, 'UTF8') as v from dead_letter where dlq_topic = ? "
                + "order by seq", topic).stream().map(r -> r.get("v")).toList(),
                equalTo(List.of("{\"first\":1}", "{\"second\":2}")));

        // a row indexed before V24 kept no timestamp: the same record read again is that row, another is not
        String before24 = "webhooks.dlq.v23-" + dev.git.webhooks.common.Ids.random(6);
        Db.update("insert into dead_letter (id, dlq_topic, dlq_partition, dlq_offset, reason, indexed_at, record_value, "
                + "value_size, headers, state) values (?, ?, 0, 0, 'invalid_json', now(), convert_to(?, 'UTF8'), 12, "
                + "'[]', 'new')", "dlq_v23_" + dev.git.webhooks.common.Ids.random(6), before24, "{\"first\":1}");
        assertThat("read again after the upgrade", store.store(List.of(record(before24, before, "{\"first\":1}"))),
                equalTo(0));
        assertThat("another record at its offset", store.store(List.of(record(before24, before, "{\"other\":3}"))),
                equalTo(1));
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, long timestamp, String value) {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new ConsumerRecord<>(topic, 0, 0L, timestamp, TimestampType.CREATE_TIME, 0, bytes.length, null, bytes,
                new RecordHeaders(), Optional.empty());
    }

    @Test
    void redrivesALetterToItsSourceTopicAndTheEventIsDelivered() {
        Api.Owner acme = Api.newOwner();
        Api.Hook hook = Api.hook(acme, aResponse().withStatus(200));
        String event = Kafka.newEventId();
        Kafka.publishDeadLetter("deploy.success", "unstorable", Kafka.event("deploy.success", event, acme.name(),
                null));
        String id = (String) await().atMost(Duration.ofSeconds(15)).until(() -> find(event), Optional::isPresent)
                .orElseThrow().get("id");
        Api.as(operator).get("/v2/ops/dead-letters/" + id).then()
                .body(Json.at("headers[0].name", equalTo("traceparent")))
                .body(Json.at("failed_at", equalTo("2026-11-25T10:00:00Z")));
        assertThat(Receivers.received(hook.path()), hasSize(0));

        Api.as(operator).post("/v2/ops/dead-letters/" + id + "/redrive").then().statusCode(200)
                .body(Json.at("state", equalTo("redriven")));
        await().atMost(Duration.ofSeconds(15)).until(() -> Receivers.received(hook.path()).size() == 1);
        assertThat(Receivers.received(hook.path()).get(0).getHeader("webhook-id"), equalTo(event));
        assertError(Api.as(operator).post("/v2/ops/dead-letters/" + id + "/redrive"), 409, "conflict");

        String stray = Kafka.newEventId();
        Kafka.publishDeadLetter("somebody.elses.topic", "unstorable", Kafka.event("repo.push", stray, "acme", null));
        String strayId = (String) await().atMost(Duration.ofSeconds(15)).until(() -> find(stray),
                Optional::isPresent).orElseThrow().get("id");
        assertError(Api.as(operator).post("/v2/ops/dead-letters/" + strayId + "/redrive"), 409, "conflict");
        assertError(acme.request().post("/v2/ops/dead-letters/" + strayId + "/redrive"), 403, "insufficient_scope");
        List<Map<String, Object>> ofTopic = Api.as(operator).queryParam("topic", "somebody.elses.topic")
                .get("/v2/ops/dead-letters").then().statusCode(200).extract().as(Json.Doc.class).at("data");
        assertThat("a producer's own: its topic's letters alone", ofTopic.stream()
                .map(l -> ((Map<?, ?>) l.get("source")).get("topic")).distinct().toList(),
                equalTo(List.of("somebody.elses.topic")));
        assertThat(ofTopic.stream().map(l -> l.get("id")).toList(), org.hamcrest.Matchers.hasItem(strayId));
    }

    private Optional<Map<String, Object>> find(String marker) {
        List<Map<String, Object>> letters = Api.as(operator).queryParam("limit", 100).get("/v2/ops/dead-letters")
                .then().statusCode(200).extract().as(Json.Doc.class).at("data");
        return letters.stream().filter(l -> String.valueOf(((Map<?, ?>) l.get("preview")).get("text"))
                .contains(marker)).findFirst();
    }
}
