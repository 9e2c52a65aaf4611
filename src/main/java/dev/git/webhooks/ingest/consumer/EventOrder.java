package dev.git.webhooks.ingest.consumer;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which a batch's events are stored, which is the order of their deliveries to an ordered endpoint
 * (SPEC §12: Kafka's order within a partition, then {@code timestamp}): each partition's events in their offsets'
 * order, the partitions merged by the events' {@code timestamp}, a tie going to the partition first met in the batch.
 * Kafka hands a poll's records over partition by partition, so without it an owner's {@code deploy.success} of 10:00
 * would be stored after its {@code repo.push} of 10:01 whenever both topics came in one batch. Events of different
 * batches keep the batches' order.
 */
final class EventOrder {

    private EventOrder() {
    }

    static List<IsolatingStore.Accepted> merged(List<IsolatingStore.Accepted> batch) {
        Map<String, Deque<IsolatingStore.Accepted>> partitions = new LinkedHashMap<>();
        for (IsolatingStore.Accepted accepted : batch) {
            partitions.computeIfAbsent(accepted.record().topic() + "-" + accepted.record().partition(),
                    p -> new ArrayDeque<>()).add(accepted);
        }
        if (partitions.size() < 2) {
            return batch;
        }
        List<IsolatingStore.Accepted> merged = new ArrayList<>(batch.size());
        while (merged.size() < batch.size()) {
            Deque<IsolatingStore.Accepted> earliest = null;
            for (Deque<IsolatingStore.Accepted> partition : partitions.values()) {
                if (!partition.isEmpty() && (earliest == null || before(partition.peekFirst().event().occurredAt(),
                        earliest.peekFirst().event().occurredAt()))) {
                    earliest = partition;
                }
            }
            merged.add(earliest.pollFirst());
        }
        return merged;
    }

    /** Strictly before; a missing time is before none and after none (it keeps its place). */
    private static boolean before(Instant a, Instant b) {
        return a != null && b != null && a.isBefore(b);
    }
}
