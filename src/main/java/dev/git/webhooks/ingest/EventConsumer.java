package dev.git.webhooks.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import dev.git.webhooks.catalog.SchemaDrift;
import dev.git.webhooks.delivery.Dispatcher;
import dev.git.webhooks.delivery.Poller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The ingest loop: a plain Kafka consumer (group {@code webhooks}) that, per polled batch, dead-letters invalid
 * records, stores the valid events with their deliveries in one transaction, and only then commits the offsets
 * (asynchronously, so that the next batch does not wait for the broker).
 * When anything in between fails it rewinds to the batch and tries again: nothing is skipped, nothing is fanned out
 * twice (event ids are unique), and no bad record stops it.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    private static final Duration ROOM_WAIT = Duration.ofSeconds(1);

    private final IngestConfig config;
    private final EventStore store;
    private final Dispatcher dispatcher;
    private final Poller poller;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Map<String, Object> kafka;
    private final EventValidator validator;
    private final BatchSpans spans;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private DeadLetters deadLetters;
    private Thread thread;
    private volatile boolean running;
    @Inject
    SchemaDrift schemaDrift;

    @Inject
    public EventConsumer(IngestConfig config, EventStore store, Dispatcher dispatcher, Poller poller,
            MeterRegistry metrics, Clock clock, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            BatchSpans spans) {
        this.config = config;
        this.store = store;
        this.dispatcher = dispatcher;
        this.poller = poller;
        this.metrics = metrics;
        this.clock = clock;
        this.kafka = kafka;
        this.validator = new EventValidator(config.maxEventBytes());
        this.spans = spans;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Ingest is switched off (webhooks.ingest.enabled=false)");
            return;
        }
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        // A dead instance's partitions move to the others within 15 s (SPEC): 10 s without heartbeats.
        props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "webhooks-ingest");
        consumer = new KafkaConsumer<>(props);
        deadLetters = new DeadLetters(kafka, config.dlqTopic(), clock);
        running = true;
        thread = new Thread(this::run, "ingest-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (thread == null) {
            return;
        }
        running = false;
        consumer.wakeup();
        thread.join(15_000);
    }

    private void run() {
        try {
            consumer.subscribe(config.topics(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commitPending(); // hand over what is stored before another instance takes these partitions
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // positions come from the committed offsets
                }
            });
            while (running) {
                try {
                    awaitRoom();
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        spans.traced(records, () -> handle(records));
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.error("Polling Kafka failed; trying again", e);
                    sleep(config.failureBackoff());
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } finally {
            commitPending();
            consumer.close(Duration.ofSeconds(5));
            deadLetters.close();
        }
    }

    private void handle(ConsumerRecords<byte[], byte[]> records) {
        List<IncomingEvent> valid = new ArrayList<>();
        List<DeadLetters.DeadLetter> invalid = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            EventValidator.Verdict verdict = validator.validate(record.topic(), record.value());
            if (verdict.valid()) {
                EventValidator.Envelope e = verdict.envelope();
                valid.add(new IncomingEvent(e.id(), e.type(), e.owner(), e.repo(), e.occurredAt(), record.value(),
                        record.topic(), record.partition(), record.offset(),
                        record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null,
                        BatchSpans.traceparent(record)));
            } else {
                invalid.add(new DeadLetters.DeadLetter(record, verdict.rejection()));
            }
        }
        try {
            EventStore.Stored stored = valid.isEmpty() ? null : storeTimed(valid, dispatcher.holds());
            if (stored != null) {
                dispatcher.offer(stored.jobs()); // durable now: send at once, whatever happens next
                if (stored.queued() > 0) {
                    poller.wake();
                }
            }
            if (!invalid.isEmpty()) {
                deadLetters.publish(invalid);
            }
            // Asynchronous: the events are durable already; a lost commit only means records read again, which
            // are no-ops (known event ids). The next commit, or the synchronous one on shutdown, covers it.
            Map<TopicPartition, OffsetAndMetadata> offsets = offsets(records);
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    LOG.debugf("Committing offsets failed (they will be committed again): %s", error.getMessage());
                }
            });
            pending.putAll(offsets);
            if (stored != null) {
                count(valid, stored);
            }
            spans.counted(stored == null ? 0 : stored.newEventIds().size(), stored == null ? 0 : stored.duplicates(),
                    invalid.size());
            for (DeadLetters.DeadLetter letter : invalid) {
                LOG.warnf("Dead-lettered %s-%d@%d: %s", letter.record().topic(), letter.record().partition(),
                        letter.record().offset(), letter.rejection().message());
                metrics.counter("webhooks.events.dead_lettered", "reason", letter.rejection().reason()).increment();
            }
        } catch (WakeupException e) {
            throw e;
        } catch (Exception e) {
            spans.failed(e);
            LOG.warnf(e, "Could not ingest a batch of %d records; rewinding to try again", records.count());
            rewind(records);
            sleep(config.failureBackoff());
        }
    }

    /**
     * Back-pressure: while this instance holds as many deliveries as it may, the next records wait in Kafka (which
     * keeps them for free) rather than in the outbox's queue. Bounded, so that the consumer keeps polling.
     */
    private void awaitRoom() {
        long deadline = System.nanoTime() + ROOM_WAIT.toNanos();
        while (!dispatcher.hasRoom() && System.nanoTime() < deadline && running) {
            sleep(Duration.ofMillis(2));
        }
    }

    /** The offsets of everything stored, committed synchronously on the way out. */
    private void commitPending() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            pending.keySet().retainAll(consumer.assignment());
            consumer.commitSync(pending, Duration.ofSeconds(5));
            pending.clear();
        } catch (RuntimeException e) {
            LOG.warnf("Could not commit the last offsets (%s); those records will be read again", e.getMessage());
        }
    }

    /** One batch's transaction, timed: it is most of the latency from Kafka to the first attempt. */
    private EventStore.Stored storeTimed(List<IncomingEvent> valid, Map<String, Instant> holds) {
        Timer.Sample sample = Timer.start(metrics);
        EventStore.Stored stored = store.store(valid, holds);
        sample.stop(Timer.builder("webhooks.ingest.batch")
                .description("Storing one polled batch: events, fan-out and commit")
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(metrics));
        return stored;
    }

    /** Metrics only: whatever goes wrong here must not make the batch look failed. */
    private void count(List<IncomingEvent> valid, EventStore.Stored stored) {
        try {
            record(valid, stored);
            valid.stream().filter(e -> stored.newEventIds().contains(e.id())) // drift is counted, never refused
                    .forEach(e -> schemaDrift.check(e.type(), e.payload()));
        } catch (RuntimeException e) {
            LOG.debug("Could not record ingest metrics", e);
        }
    }

    private void record(List<IncomingEvent> valid, EventStore.Stored stored) {
        Timer lag = Timer.builder("webhooks.ingest.lag")
                .description("From the record's Kafka timestamp to its event being stored with its deliveries")
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(metrics);
        long now = clock.millis();
        for (IncomingEvent event : valid) {
            String outcome = stored.newEventIds().contains(event.id()) ? "stored" : "duplicate";
            metrics.counter("webhooks.events.consumed", "type", event.type(), "outcome", outcome).increment();
            if (event.appendedAt() != null) {
                lag.record(Math.max(0, now - event.appendedAt().toEpochMilli()), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
