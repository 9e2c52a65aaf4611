package dev.git.webhooks.ingest.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * What wraps the handling of one polled batch, for observation only (tracing): it must run the handling exactly
 * once and let its exception through (a failed batch is marked on its span before it ends).
 */
public interface BatchHook {

    /** The batch's handling: validate, store, dead-letter, commit. */
    interface Handling {
        void run() throws Exception;
    }

    void handle(ConsumerRecords<byte[], byte[]> records, Handling handling) throws Exception;

    /** How many records of the batch went to the dead-letter topic. */
    default void deadLettered(int count) {
    }

    BatchHook NONE = (records, handling) -> handling.run();
}
