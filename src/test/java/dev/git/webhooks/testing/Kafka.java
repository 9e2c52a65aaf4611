package dev.git.webhooks.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.git.webhooks.common.Ids;

/** Publishes to the test broker as a producer would, and reads the dead-letter topic. */
public final class Kafka {

    private static KafkaProducer<byte[], byte[]> producer;

    private Kafka() {
    }

    public static synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put("bootstrap.servers", Infrastructure.bootstrapServers());
            props.put("key.serializer", ByteArraySerializer.class.getName());
            props.put("value.serializer", ByteArraySerializer.class.getName());
            props.put("linger.ms", "0");
            props.put("max.request.size", String.valueOf(2 * 1024 * 1024));
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    public static RecordMetadata publish(String topic, String key, byte[] value) {
        try {
            return producer().send(new ProducerRecord<>(topic, key == null ? null
                    : key.getBytes(StandardCharsets.UTF_8), value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RecordMetadata publish(String topic, String key, String value) {
        return publish(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Source offsets of the dead letters that {@link #publishDeadLetter} makes up, past any real record's. */
    private static final java.util.concurrent.atomic.AtomicLong MADE_UP_OFFSETS =
            new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);

    /**
     * A record in the dead-letter topic as the service writes one, refused for {@code reason} from {@code topic}:
     * a record whose cause has gone away (an outage), ready to be redriven.
     */
    public static RecordMetadata publishDeadLetter(String topic, String reason, String value) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("webhooks.dlq", null,
                value.getBytes(StandardCharsets.UTF_8));
        record.headers().add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                .getBytes(StandardCharsets.UTF_8));
        // a source offset that no record of the tests reaches: IngestFuzzTest tells its records' letters by their
        // source (topic, partition and offset), and a made-up offset 42 was once one of its valid records'
        Map<String, String> dlq = Map.of("reason", reason, "message", "refused in a test", "source.topic", topic,
                "source.partition", "0", "source.offset", String.valueOf(MADE_UP_OFFSETS.incrementAndGet()),
                "failed-at", "2026-11-25T10:00:00Z");
        dlq.forEach((k, v) -> record.headers().add("webhooks.dlq." + k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            return producer().send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An event as producers write it. */
    public static String event(String type, String id, String owner, String repo) {
        return event(type, id, owner, repo, 1);
    }

    /** {@link #event(String, String, String, String)} whose data is {@code {"n": n}}. */
    public static String event(String type, String id, String owner, String repo, int n) {
        return "{\"event\":\"" + type + "\",\"id\":\"" + id + "\",\"timestamp\":\"2025-01-20T14:35:22Z\","
                + "\"owner\":\"" + owner + "\"" + (repo == null ? "" : ",\"repo\":\"" + repo + "\"")
                + ",\"data\":{\"n\":" + n + "}}";
    }

    public static String newEventId() {
        return "evt_" + Ids.random(16);
    }

    /** A consumer of the dead-letter topic in a fresh group, from the beginning. */
    public static KafkaConsumer<byte[], byte[]> deadLetterConsumer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", Infrastructure.bootstrapServers());
        props.put("group.id", "test-dlq-" + Ids.random(8));
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of("webhooks.dlq"));
        return consumer;
    }

    /**
     * Every dead letter so far: the topic's partitions assigned (no group to join, whose first rebalance alone waits
     * the broker's initial delay) and read from the beginning up to the end offsets they had when asked.
     */
    public static List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        Properties props = new Properties();
        props.put("bootstrap.servers", Infrastructure.bootstrapServers());
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor("webhooks.dlq",
                    Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions,
                    Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the dead-letter topic was not read to its end in 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static Map<String, String> dlqHeaders(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
