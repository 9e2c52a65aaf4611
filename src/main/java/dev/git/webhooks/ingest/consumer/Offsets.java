package dev.git.webhooks.ingest.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer's offsets: committed only for batches that are done, asynchronously (a lost commit only means records
 * read again, which are no-ops), and synchronously when partitions are handed over or the consumer closes; a batch
 * that failed is rewound to its first record.
 */
final class Offsets {

    private final Consumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

    Offsets(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** The batch is stored and its dead letters acknowledged: move past it. */
    void commit(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        pending.putAll(offsets);
        consumer.commitAsync(offsets, (committed, error) -> {
            // a failed asynchronous commit is repeated by the next one, or on revoke and close
        });
    }

    /** Synchronously commits what is done in these partitions (they are being handed over or closed). */
    void commitPending(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = pending.remove(partition);
            if (offset != null) {
                offsets.put(partition, offset);
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets, Duration.ofSeconds(5));
        }
    }

    /** These partitions are someone else's already: committing would fail. */
    void forget(Collection<TopicPartition> partitions) {
        pending.keySet().removeAll(partitions);
    }

    /** Back to the first record of the batch in every partition still assigned. */
    void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
        }
    }
}
