package dev.git.webhooks.ingest.consumer;

import static dev.git.webhooks.ingest.consumer.LoopFixture.P0;
import static dev.git.webhooks.ingest.consumer.LoopFixture.P1;
import static dev.git.webhooks.ingest.consumer.LoopFixture.sql;
import static dev.git.webhooks.ingest.consumer.LoopFixture.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.Test;

/** The consumer loop against Kafka's MockConsumer: offsets, rewinds, isolation, rebalances. No Quarkus. */
class IngestLoopTest {

    @Test
    void commitsOffsetsOnlyAfterTheBatchIsStored() {
        LoopFixture f = new LoopFixture();
        f.valid(P0, "evt_1");
        f.valid(P0, "evt_2");
        f.valid(P1, "evt_3");
        List<Long> committedWhileStoring = new java.util.ArrayList<>();
        f.storeFailure = batch -> {
            committedWhileStoring.add(f.committed(P0));
            return null;
        };
        f.poll();
        assertEquals(List.of(-1L), committedWhileStoring, "nothing committed before the store returned");
        assertEquals(List.of("evt_1", "evt_2", "evt_3"), f.stored.stream().sorted().toList());
        assertEquals(2, f.committed(P0));
        assertEquals(1, f.committed(P1));
    }

    @Test
    void rewindsAndRetriesTheWholeBatchWhileTheDatabaseIsDown() {
        LoopFixture f = new LoopFixture();
        f.valid(P0, "evt_1");
        f.valid(P0, "evt_2");
        f.add(P0, "{not json", -1);
        f.storeFailure = batch -> wrapped("08006");
        for (int i = 0; i < 5; i++) {
            f.poll();
            assertEquals(-1, f.committed(P0), "no commit while the database is down");
            assertEquals(0, f.consumer.position(P0), "rewound to the batch");
        }
        assertEquals(List.of(), f.published, "neither good nor bad records dead-lettered while PostgreSQL is down");
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(8)), f.sleeps, "backoff doubles up to its maximum");
        f.clock.advance(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(30), f.loop.progress().stalledFor(f.clock.instant()));

        f.storeFailure = batch -> null;
        f.poll();
        assertEquals(List.of("evt_1", "evt_2"), f.stored);
        assertEquals(List.of("invalid_json"), f.published.stream().map(DeadLetter::reason).toList());
        assertEquals(3, f.committed(P0));
        assertEquals(Duration.ZERO, f.loop.progress().stalledFor(f.clock.instant()));
    }

    /**
     * A record the Kafka client cannot read (a failed CRC check) makes every poll throw, with no records of the
     * consumer's other partitions either: the consumer is stalled from the first failure, for the health check and the
     * stall alert, though it holds no record.
     */
    @Test
    void aPollThatKeepsFailingIsAStallFromItsFirstFailure() {
        LoopFixture f = new LoopFixture();
        f.valid(P0, "evt_1");
        for (int i = 0; i < 3; i++) {
            f.consumer.setPollException(new org.apache.kafka.common.KafkaException("Received exception when fetching "
                    + "the next record from webhooks-0. If needed, please seek past the record to continue."));
            f.poll();
            f.clock.advance(Duration.ofSeconds(10));
        }
        assertEquals(Duration.ofSeconds(30), f.loop.progress().stalledFor(f.clock.instant()));
        f.poll();
        assertEquals(List.of("evt_1"), f.stored);
        assertEquals(Duration.ZERO, f.loop.progress().stalledFor(f.clock.instant()), "polls work again");
    }

    @Test
    void rewindsWhenTheDeadLetterTopicFailsAndPublishesOnTheRetry() {
        LoopFixture f = new LoopFixture();
        f.valid(P0, "evt_1");
        f.add(P0, "[1,2]", -1);
        f.sinkFailure = letters -> new TimeoutException("broker unavailable");
        f.poll();
        assertEquals(-1, f.committed(P0), "the good record is stored, but the batch is not done");
        assertEquals(0, f.consumer.position(P0));
        assertTrue(f.loop.progress().lastFailure().startsWith("dlq: "), f.loop.progress().lastFailure());

        f.sinkFailure = letters -> null;
        f.poll();
        assertEquals(2, f.committed(P0));
        assertEquals(List.of(1L), f.published.stream().map(l -> l.record().offset()).toList());
        assertEquals(List.of(List.of("evt_1"), List.of("evt_1")), f.stores,
                "stored again on the retry (a no-op: the event id is known)");
    }

    @Test
    void isolatesTheOneRecordThatPostgresRefusesAndStoresTheOthers() {
        LoopFixture f = new LoopFixture();
        IntStream.range(0, 20).forEach(i -> f.valid(P0, i == 13 ? "evt_bad" : "evt_" + i));
        f.storeFailure = batch -> batch.stream().anyMatch(e -> e.id().equals("evt_bad"))
                ? wrapped("22008") : null;
        f.poll();
        assertEquals(19, f.stored.size());
        assertTrue(!f.stored.contains("evt_bad"));
        assertEquals(1, f.published.size());
        DeadLetter letter = f.published.get(0);
        assertEquals("unstorable", letter.reason());
        assertEquals(13, letter.record().offset());
        assertTrue(letter.message().contains("SQLState 22008"), letter.message());
        assertEquals(20, f.committed(P0));
        assertTrue(f.stores.size() <= 2 * 5 + 1, "a bounded number of statements: " + f.stores.size());
    }

    @Test
    void deadLettersNothingWhenTheDatabaseGoesDownWhileSplitting() {
        LoopFixture f = new LoopFixture();
        IntStream.range(0, 8).forEach(i -> f.valid(P0, i == 5 ? "evt_bad" : "evt_" + i));
        f.storeFailure = batch -> batch.size() == 8 ? wrapped("23514") : wrapped("57P01");
        f.poll();
        assertEquals(List.of(), f.published);
        assertEquals(-1, f.committed(P0));
        assertEquals(0, f.consumer.position(P0));
    }

    @Test
    void waitsOutErrorsThatWouldRefuseEveryRecordAlike() {
        for (String state : List.of("42501", "42P01", "53300", "40001", "40P01", "55P03", "57014", "08001")) {
            LoopFixture f = new LoopFixture();
            f.valid(P0, "evt_1");
            f.storeFailure = batch -> wrapped(state);
            f.poll();
            assertEquals(List.of(), f.published, state);
            assertEquals(0, f.consumer.position(P0), state);
        }
        LoopFixture f = new LoopFixture();
        f.valid(P0, "evt_1");
        f.storeFailure = batch -> new IllegalStateException("no SQLState: a pool timeout, say");
        f.poll();
        assertEquals(List.of(), f.published);
    }

    @Test
    void commitsWhatIsStoredWhenPartitionsAreRevokedEvenIfTheAsynchronousCommitWasLost() {
        Map<TopicPartition, Long> syncCommits = new java.util.HashMap<>();
        MockConsumer<byte[], byte[]> losesAsyncCommits = new MockConsumer<>("earliest") {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                offsets.forEach((p, o) -> syncCommits.put(p, o.offset()));
                super.commitSync(offsets);
            }

            @Override
            public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                    OffsetCommitCallback callback) {
                callback.onComplete(offsets, new RebalanceInProgressException("lost"));
            }
        };
        LoopFixture f = new LoopFixture(losesAsyncCommits);
        f.valid(P0, "evt_1");
        f.valid(P1, "evt_2");
        f.poll();
        assertEquals(-1, f.committed(P0));
        f.consumer.rebalance(List.of(P1));
        assertEquals(Map.of(P0, 1L), syncCommits, "committed on revoke, before another instance takes P0");
        f.loop.close();
        assertEquals(Map.of(P0, 1L, P1, 1L), syncCommits, "committed on close");
    }

    @Test
    void recordsThatKeepComingAreStoredTogetherUpToTheBatchSize() {
        LoopFixture f = new LoopFixture(new MockConsumer<>("earliest"), Duration.ofSeconds(1));
        f.valid(P0, "evt_1");
        f.consumer.schedulePollTask(() -> { }); // the first poll returns evt_1
        f.consumer.schedulePollTask(() -> f.consumer.addRecord(f.record(P1, f.valid(P1, "evt_2"))));
        f.consumer.schedulePollTask(() -> f.consumer.addRecord(f.record(P0, f.valid(P0, "evt_3"))));
        f.consumer.schedulePollTask(() -> f.consumer.addRecord(f.record(P0, f.valid(P0, "evt_4"))));
        f.poll();
        assertEquals(List.of(List.of("evt_1", "evt_3", "evt_2")), f.stores,
                "one store for what came within the linger, up to the batch size of 3");
        assertEquals(2, f.committed(P0));
        assertEquals(1, f.committed(P1));
        f.poll();
        assertEquals(List.of("evt_4"), f.stores.get(1), "the next batch");
        assertEquals(3, f.committed(P0));
    }

    /**
     * SPEC §12: an ordered endpoint gets events in Kafka's order within a partition, then by {@code timestamp}. A poll
     * hands records over partition by partition; the batch is stored with the partitions merged by timestamp, each
     * partition's own order kept even where its timestamps go back.
     */
    @Test
    void aBatchIsStoredInEachPartitionsOrderMergedByTimestamp() {
        LoopFixture f = new LoopFixture();
        f.add(P0, event("evt_p0_03", "10:00:03"), ConsumerRecord.NO_TIMESTAMP);
        f.add(P0, event("evt_p0_04", "10:00:04"), ConsumerRecord.NO_TIMESTAMP);
        f.add(P0, event("evt_p0_02", "10:00:02"), ConsumerRecord.NO_TIMESTAMP); // later in the partition, earlier time
        f.add(P1, event("evt_p1_01", "10:00:01"), ConsumerRecord.NO_TIMESTAMP);
        f.add(P1, event("evt_p1_05", "10:00:05"), ConsumerRecord.NO_TIMESTAMP);
        f.poll();
        assertEquals(List.of(List.of("evt_p1_01", "evt_p0_03", "evt_p0_04", "evt_p0_02", "evt_p1_05")), f.stores);
    }

    private static String event(String id, String time) {
        return "{\"event\":\"repo.push\",\"id\":\"" + id + "\",\"timestamp\":\"2025-01-20T" + time + "Z\","
                + "\"owner\":\"acme\",\"data\":{}}";
    }

    @Test
    void gatheringEndsAtThePollThatBringsNothing() {
        LoopFixture f = new LoopFixture(new MockConsumer<>("earliest"), Duration.ofSeconds(1));
        f.valid(P0, "evt_1");
        f.consumer.schedulePollTask(() -> { });
        f.consumer.schedulePollTask(() -> { }); // nothing more came
        f.consumer.schedulePollTask(() -> f.consumer.addRecord(f.record(P0, f.valid(P0, "evt_2"))));
        f.poll();
        assertEquals(List.of(List.of("evt_1")), f.stores);
        f.poll();
        assertEquals(List.of(List.of("evt_1"), List.of("evt_2")), f.stores);
        assertEquals(2, f.committed(P0));
    }

    @Test
    void whatWasGatheredOfAPartitionTakenMeanwhileIsLeftToItsNewOwner() {
        LoopFixture f = new LoopFixture(new MockConsumer<>("earliest"), Duration.ofSeconds(1));
        f.valid(P0, "evt_1");
        f.valid(P1, "evt_2");
        f.consumer.schedulePollTask(() -> { });
        f.consumer.schedulePollTask(() -> f.consumer.rebalance(List.of(P1)));
        f.poll();
        assertEquals(List.of(List.of("evt_2")), f.stores, "evt_1 is P0's new owner's to store");
        assertEquals(-1, f.committed(P0), "nothing of P0 committed by this instance");
        assertEquals(1, f.committed(P1));
    }

    @Test
    void anEventKeepsItsParsedJsonUpToSixteenKibibytesAndIsParsedAgainWhereNeededAbove() {
        dev.git.webhooks.ingest.EventValidator validator = new dev.git.webhooks.ingest.EventValidator(262_144);
        for (int size : List.of(1_000, RecordEvents.KEEP_TREE_BYTES + 1)) {
            String value = "{\"event\":\"repo.push\",\"id\":\"evt_big\",\"timestamp\":\"2025-01-20T14:35:22Z\","
                    + "\"owner\":\"acme\",\"data\":{\"pad\":\"";
            value += "x".repeat(size - value.length() - 3) + "\"}}";
            byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(size, bytes.length);
            var verdict = validator.validate("repo.push", bytes);
            assertTrue(verdict.valid());
            var event = RecordEvents.event(new org.apache.kafka.clients.consumer.ConsumerRecord<>("repo.push", 0, 7L,
                    "acme".getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes), verdict.envelope());
            if (size <= RecordEvents.KEEP_TREE_BYTES) {
                assertEquals("acme", event.json().path("owner").asText(), "kept: nothing parses it again");
            } else {
                assertNull(event.json(), "a large event's tree is not held with the batch");
            }
        }
    }

    @Test
    void storesNoKafkaTimestampThatPostgresCannotTake() {
        assertNull(RecordEvents.appendedAt(-1));
        assertNull(RecordEvents.appendedAt(Long.MAX_VALUE));
        assertNull(RecordEvents.appendedAt(253402300800000L)); // 10000-01-01
        assertEquals(Instant.EPOCH, RecordEvents.appendedAt(0));
        LoopFixture f = new LoopFixture();
        f.add(P0, "{\"event\":\"repo.push\",\"id\":\"evt_ts\",\"timestamp\":\"2025-01-20T14:35:22Z\","
                + "\"owner\":\"acme\",\"data\":{}}", Long.MAX_VALUE);
        f.poll();
        assertNull(f.storedEvents.get(0).get(0).appendedAt());
        assertEquals(1, f.committed(P0));
    }

    @Test
    void logsDeadLettersAndFailuresAsCountsPerInterval() {
        LoopFixture f = new LoopFixture();
        IntStream.range(0, 300).forEach(i -> f.add(i % 2 == 0 ? P0 : P1, i % 3 == 0 ? "" : "{", -1));
        for (int i = 0; i < 5; i++) {
            f.poll();
        }
        assertEquals(300, f.published.size());
        assertEquals(List.of(), f.info, "nothing logged per record at INFO");
        assertEquals(300, f.debug.size(), "one DEBUG line per record");
        assertTrue(f.debug.stream().allMatch(
                l -> l.matches("Dead-lettered repo\\.push-[01]@\\d+ \\((empty|invalid_json): .+\\)")),
                f.debug.get(0));
        f.clock.advance(Duration.ofSeconds(10));
        f.poll();
        assertEquals(List.of("Dead-lettered 300 record(s) in the last 10 s (empty: 100, invalid_json: 200)"), f.info);

        f.valid(P0, "evt_stuck");
        f.storeFailure = batch -> wrapped("08006");
        for (int i = 0; i < 50; i++) {
            f.poll();
        }
        assertEquals(1, f.warnings.size(), "one line with the cause for the first failure: " + f.warnings);
        assertTrue(f.warnings.get(0).contains("[cause: "), f.warnings.get(0));
        f.clock.advance(Duration.ofSeconds(10));
        f.poll();
        assertEquals(2, f.warnings.size(), "then counts: " + f.warnings);
        assertTrue(f.warnings.get(1).startsWith("Ingest still failing: 49 more failed attempt(s) in the last 10 s"),
                f.warnings.get(1));
        f.storeFailure = batch -> null;
        f.poll();
        assertTrue(f.info.get(f.info.size() - 1).startsWith("Ingest recovered after 51 failed attempt(s)"),
                f.info.toString());

        f.storeFailure = batch -> wrapped("08006"); // fails once more, then recovers within one interval
        f.valid(P0, "evt_again");
        f.poll();
        f.poll();
        f.storeFailure = batch -> null;
        f.poll();
        f.clock.advance(Duration.ofSeconds(10));
        f.poll();
        assertTrue(f.warnings.stream().noneMatch(w -> w.contains("failing since null")),
                "a recovered streak is not reported as still failing: " + f.warnings);
        assertEquals(2.0, f.metrics.counter("webhooks.events.dead_lettered", "reason", "empty").count() / 50);
    }

    @Test
    void everyDeadLetterReasonIsCountedFromZeroBeforeTheFirstRecord() {
        LoopFixture f = new LoopFixture();
        java.util.Collection<io.micrometer.core.instrument.Counter> counters = f.metrics
                .find("webhooks.events.dead_lettered").counters();
        assertEquals(IngestLoop.REASONS.size(), counters.size(), "one series per reason, there before any record");
        assertTrue(counters.stream().allMatch(c -> c.count() == 0));
        assertTrue(counters.stream().anyMatch(c -> "id_conflict".equals(c.getId().getTag("reason"))));
    }
}
