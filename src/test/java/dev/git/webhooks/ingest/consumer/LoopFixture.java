package dev.git.webhooks.ingest.consumer;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import dev.git.webhooks.ingest.IncomingEvent;
import dev.git.webhooks.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The loop with a {@link MockConsumer}, a store and a dead-letter sink that record what they get. */
final class LoopFixture {

    static final String TOPIC = "repo.push";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    final MockConsumer<byte[], byte[]> consumer;
    final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    final List<List<String>> stores = new ArrayList<>();
    final List<String> stored = new ArrayList<>();
    final List<List<IncomingEvent>> storedEvents = new ArrayList<>();
    final List<DeadLetter> published = new ArrayList<>();
    final List<Duration> sleeps = new ArrayList<>();
    final List<String> info = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> debug = new ArrayList<>();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final long[] next = new long[2];
    /** Everything appended: MockConsumer forgets records once polled, a broker does not (a seek reads them again). */
    private final List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();
    /** What the store throws for a batch (null: it stores the batch). */
    Function<List<IncomingEvent>, Exception> storeFailure = batch -> null;
    /** What the sink throws (null: it publishes). */
    Function<List<DeadLetter>, Exception> sinkFailure = letters -> null;
    final IngestLoop loop;

    LoopFixture() {
        this(new MockConsumer<>("earliest"));
    }

    LoopFixture(MockConsumer<byte[], byte[]> consumer) {
        this(consumer, Duration.ZERO);
    }

    /** With the loop's linger: after a poll with records, more polls gather what keeps coming. */
    LoopFixture(MockConsumer<byte[], byte[]> consumer, Duration linger) {
        this.consumer = consumer;
        IngestLog.Lines lines = new IngestLog.Lines() {
            @Override
            public void info(String line) {
                info.add(line);
            }

            @Override
            public void warn(String line, Throwable cause) {
                warnings.add(line + (cause == null ? "" : " [cause: " + cause + "]"));
            }

            @Override
            public void debug(String line) {
                debug.add(line);
            }
        };
        loop = new IngestLoop(consumer, this::store, this::publish,
                new IngestLoop.Settings(List.of(TOPIC), 4096, Duration.ofMillis(1), Duration.ofSeconds(1),
                        Duration.ofSeconds(8), Duration.ofSeconds(10), linger, 3),
                clock, sleeps::add, lines, metrics);
        loop.subscribe();
        consumer.rebalance(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    private java.util.Set<String> store(List<IncomingEvent> events) throws Exception {
        List<String> ids = events.stream().map(IncomingEvent::id).toList();
        stores.add(ids);
        Exception failure = storeFailure.apply(events);
        if (failure != null) {
            throw failure;
        }
        stored.addAll(ids);
        storedEvents.add(events);
        return java.util.Set.of();
    }

    private int publish(List<DeadLetter> letters) throws Exception {
        Exception failure = sinkFailure.apply(letters);
        if (failure != null) {
            throw failure;
        }
        published.addAll(letters);
        return 0;
    }

    /** Appends a valid event with this id to the partition, at its next offset. */
    long valid(TopicPartition partition, String id) {
        return add(partition, "{\"event\":\"repo.push\",\"id\":\"" + id + "\",\"timestamp\":\"2025-01-20T14:35:22Z\","
                + "\"owner\":\"acme\",\"data\":{}}", ConsumerRecord.NO_TIMESTAMP);
    }

    long add(TopicPartition partition, String value, long timestamp) {
        long offset = next[partition.partition()]++;
        log.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, timestamp,
                timestamp < 0 ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME, 3,
                value.length(), "key".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(), Optional.empty()));
        return offset;
    }

    /** The record appended at this offset of the partition. */
    ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset) {
        return log.stream().filter(r -> r.partition() == partition.partition() && r.offset() == offset).findFirst()
                .orElseThrow();
    }

    /** One iteration of the loop, over what the partitions hold from the consumer's positions on. */
    void poll() {
        for (ConsumerRecord<byte[], byte[]> record : log) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (consumer.assignment().contains(partition) && record.offset() >= consumer.position(partition)) {
                consumer.addRecord(record);
            }
        }
        loop.pollOnce();
    }

    /** The committed offset of the partition, or -1. */
    long committed(TopicPartition partition) {
        var offsets = consumer.committed(java.util.Set.of(partition));
        return offsets.get(partition) == null ? -1 : offsets.get(partition).offset();
    }

    static SQLException sql(String state) {
        return new SQLException("simulated " + state, state);
    }

    /** As the store throws it: PostgreSQL's error wrapped by the store and the transaction. */
    static RuntimeException wrapped(String state) {
        return new IllegalStateException("storing failed", new RuntimeException(sql(state)));
    }
}
