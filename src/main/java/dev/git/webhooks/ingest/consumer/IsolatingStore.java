package dev.git.webhooks.ingest.consumer;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.git.webhooks.ingest.IncomingEvent;

/**
 * Stores a batch; when PostgreSQL refuses it for a data error ({@link StoreFailures#isDataError}), stores each half
 * on its own, down to the single records that fail alone, which become {@code unstorable} dead letters. One bad record
 * in 500 costs about 2·log2(500) ≈ 18 statements, once. Any other failure propagates: the caller retries the batch.
 */
final class IsolatingStore {

    /** A valid record and its event. */
    record Accepted(ConsumerRecord<byte[], byte[]> record, IncomingEvent event) {
    }

    private final BatchStore store;

    IsolatingStore(BatchStore store) {
        this.store = store;
    }

    /** Stores what can be stored; answers the records that cannot (unstorable, or an id taken by another owner). */
    List<DeadLetter> store(List<Accepted> batch) throws Exception {
        List<DeadLetter> unstorable = new ArrayList<>();
        store(batch, unstorable);
        return unstorable;
    }

    private void store(List<Accepted> batch, List<DeadLetter> unstorable) throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        try {
            java.util.Set<String> conflicts = store.store(batch.stream().map(Accepted::event).toList());
            for (Accepted accepted : batch) {
                if (conflicts.contains(accepted.event().source())) {
                    unstorable.add(new DeadLetter(accepted.record(), DeadLetter.ID_CONFLICT, "event id "
                            + accepted.event().id() + " was seen before with other bytes (another owner's event, or "
                            + "another payload): ids are global and name one event, so make yours unique (a UUID, "
                            + "or a prefix of your own); this record was not stored"));
                }
            }
        } catch (Exception e) {
            if (!StoreFailures.isDataError(e)) {
                throw e;
            }
            if (batch.size() == 1) {
                unstorable.add(new DeadLetter(batch.get(0).record(), DeadLetter.UNSTORABLE,
                        "PostgreSQL refused the event: " + StoreFailures.describe(e)));
                return;
            }
            int half = batch.size() / 2;
            store(batch.subList(0, half), unstorable);
            store(batch.subList(half, batch.size()), unstorable);
        }
    }
}
