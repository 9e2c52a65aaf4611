package dev.git.webhooks.ingest.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.testing.FakeClock;

class KafkaDeadLettersTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    /** A producer in front of a broker whose messages may be at most {@code limit} bytes (value, key, headers). */
    private static final class Broker extends MockProducer<byte[], byte[]> {
        private final int limit;
        private RuntimeException failure;

        Broker(int limit) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.limit = limit;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            int size = (record.key() == null ? 0 : record.key().length)
                    + (record.value() == null ? 0 : record.value().length);
            for (Header h : record.headers()) {
                size += h.key().length() + h.value().length;
            }
            if (size > limit) {
                return CompletableFuture.failedFuture(new RecordTooLargeException("over " + limit));
            }
            return super.send(record, callback);
        }
    }

    @Test
    void publishesTheRecordWithHeadersThatSayWhyWhereFromAndWhen() throws Exception {
        Broker broker = new Broker(1 << 20);
        KafkaDeadLetters letters = new KafkaDeadLetters(broker, "webhooks.dlq", 1024, new FakeClock(NOW));
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", bytes("00-abc-def-01"));
        headers.add("webhooks.dlq.reason", bytes("an older verdict"));
        assertEquals(0, letters.publish(List.of(letter(bytes("{not json"), headers, "invalid_json"))));

        ProducerRecord<byte[], byte[]> out = broker.history().get(0);
        assertEquals("webhooks.dlq", out.topic());
        assertArrayEquals(bytes("{not json"), out.value());
        assertArrayEquals(bytes("acme"), out.key());
        assertEquals("00-abc-def-01", header(out, "traceparent"));
        assertEquals("invalid_json", header(out, "webhooks.dlq.reason"));
        assertEquals(1, count(out, "webhooks.dlq.reason"), "only the latest verdict");
        assertEquals("the message", header(out, "webhooks.dlq.message"));
        assertEquals("repo.push", header(out, "webhooks.dlq.source.topic"));
        assertEquals("3", header(out, "webhooks.dlq.source.partition"));
        assertEquals("42", header(out, "webhooks.dlq.source.offset"));
        assertEquals("2026-01-02T03:04:05Z", header(out, "webhooks.dlq.failed-at"));
        assertNull(header(out, "webhooks.dlq.truncated"));
    }

    @Test
    void publishesALetterTooLargeForTheBrokerTruncatedAndTheOthersWhole() throws Exception {
        Broker broker = new Broker(10_000);
        KafkaDeadLetters letters = new KafkaDeadLetters(broker, "webhooks.dlq", 1024, new FakeClock(NOW));
        byte[] nearLimit = new byte[9_990];
        java.util.Arrays.fill(nearLimit, (byte) 'x');
        RecordHeaders headers = new RecordHeaders();
        headers.add("big", new byte[5_000]);
        int truncated = letters.publish(List.of(letter(nearLimit, new RecordHeaders(), "too_large"),
                letter(bytes("[]"), headers, "invalid_json")));

        assertEquals(1, truncated);
        assertEquals(2, broker.history().size());
        ProducerRecord<byte[], byte[]> whole = broker.history().get(0);
        assertEquals("invalid_json", header(whole, "webhooks.dlq.reason"));
        ProducerRecord<byte[], byte[]> cut = broker.history().get(1);
        assertEquals("too_large", header(cut, "webhooks.dlq.reason"));
        assertEquals("true", header(cut, "webhooks.dlq.truncated"));
        assertEquals("9990", header(cut, "webhooks.dlq.original-size"));
        assertEquals(1024, cut.value().length);
        assertEquals("42", header(cut, "webhooks.dlq.source.offset"));
    }

    @Test
    void cutsTheValueToNothingWhenEvenTheTruncatedLetterIsTooLarge() throws Exception {
        Broker broker = new Broker(2_000);
        KafkaDeadLetters letters = new KafkaDeadLetters(broker, "webhooks.dlq", 65_536, new FakeClock(NOW));
        assertEquals(1, letters.publish(List.of(letter(new byte[5_000], new RecordHeaders(), "too_large"))));
        assertEquals(0, broker.history().get(0).value().length);
        assertEquals("5000", header(broker.history().get(0), "webhooks.dlq.original-size"));
    }

    @Test
    void anyOtherFailureIsThrownSoThatTheBatchIsRetried() {
        Broker broker = new Broker(1 << 20);
        broker.failure = new TimeoutException("no broker");
        KafkaDeadLetters letters = new KafkaDeadLetters(broker, "webhooks.dlq", 1024, new FakeClock(NOW));
        assertThrows(TimeoutException.class,
                () -> letters.publish(List.of(letter(bytes("x"), new RecordHeaders(), "invalid_json"))));
    }

    private static DeadLetter letter(byte[] value, RecordHeaders headers, String reason) {
        return new DeadLetter(new ConsumerRecord<>("repo.push", 3, 42L, 0L, TimestampType.CREATE_TIME, 4,
                value.length, bytes("acme"), value, headers, Optional.empty()), reason, "the message");
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int count(ProducerRecord<byte[], byte[]> record, String name) {
        int n = 0;
        for (Header ignored : record.headers().headers(name)) {
            n++;
        }
        return n;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
