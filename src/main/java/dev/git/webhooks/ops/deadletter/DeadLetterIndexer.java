package dev.git.webhooks.ops.deadletter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import dev.git.webhooks.ingest.IngestConfig;
import dev.git.webhooks.ops.OpsConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Reads the dead-letter topic in a consumer group of its own ({@code webhooks.ops.dead-letters.group-id}) and
 * indexes every record into {@code dead_letter}, committing offsets only after the rows are stored. Instances share
 * the partitions through the group; the unique (topic, partition, offset, timestamp) makes a record read twice a
 * no-op. The API then pages from the database, never from Kafka.
 */
@ApplicationScoped
public class DeadLetterIndexer {

    private static final Logger LOG = Logger.getLogger(DeadLetterIndexer.class);

    private final DeadLetterStore store;
    private final OpsConfig config;
    private final IngestConfig ingest;
    private final Map<String, Object> kafka;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private volatile boolean running;

    @Inject
    public DeadLetterIndexer(DeadLetterStore store, OpsConfig config, IngestConfig ingest,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.store = store;
        this.config = config;
        this.ingest = ingest;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent event) {
        if (!config.deadLetters().indexEnabled()) {
            return;
        }
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.deadLetters().groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "webhooks-dlq-index");
        consumer = new KafkaConsumer<>(props);
        running = true;
        thread = new Thread(this::run, "dead-letter-indexer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (thread != null) {
            running = false;
            consumer.wakeup();
            thread.join(10_000);
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(ingest.dlqTopic()));
            while (running) {
                try {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        index(records);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("Polling the dead-letter topic failed; trying again", e);
                    pause(ingest.failureBackoff());
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void index(ConsumerRecords<byte[], byte[]> records) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        records.forEach(all::add);
        try {
            store.store(all);
            consumer.commitSync(Duration.ofSeconds(10));
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not index %d dead letters; reading them again", all.size());
            for (TopicPartition partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
            pause(ingest.failureBackoff());
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
