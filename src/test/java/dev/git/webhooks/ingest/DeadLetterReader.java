package dev.git.webhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.testing.Kafka;

/** Reads the dead-letter topic from the beginning, keeping each letter's headers by source offset (not values). */
final class DeadLetterReader {

    /** What a dead letter says about its record. */
    record Letter(String reason, String message, boolean truncated) {
    }

    private final Map<String, Letter> letters = new HashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;

    DeadLetterReader() {
        consumer = Kafka.deadLetterConsumer();
    }

    /** Reads what arrived since the last call (for about a second); answers every letter so far. */
    Map<String, Letter> readMore() {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                letters.put(Kafka.header(r, "webhooks.dlq.source.topic") + "/"
                        + Kafka.header(r, "webhooks.dlq.source.partition") + "@"
                        + Kafka.header(r, "webhooks.dlq.source.offset"),
                        new Letter(Kafka.header(r, "webhooks.dlq.reason"), Kafka.header(r, "webhooks.dlq.message"),
                                "true".equals(Kafka.header(r, "webhooks.dlq.truncated"))));
            }
        }
        return letters;
    }

    Map<String, Letter> all() {
        return letters;
    }

    static String eventId(byte[] value) {
        try {
            return new ObjectMapper().readTree(new String(value, StandardCharsets.UTF_8)).get("id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
