package dev.git.webhooks.ingest.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record the service refused, with a stable reason code (docs/events.md) and a message saying what to fix. */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String message) {

    /** Valid by the contract, and still refused by PostgreSQL. */
    public static final String UNSTORABLE = "unstorable";
    /** The event's id was seen before with other bytes: another owner's event, or another payload. */
    public static final String ID_CONFLICT = "id_conflict";

    /** Where the record was and why it was refused, for a log line (never its value). */
    public String describe() {
        return record.topic() + "-" + record.partition() + "@" + record.offset() + " (" + reason + ": " + message
                + ")";
    }
}
