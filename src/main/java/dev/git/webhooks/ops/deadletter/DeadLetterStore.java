package dev.git.webhooks.ops.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.common.Ids;

/**
 * Writes indexed dead letters: one row per DLQ record, keyed by its topic, partition, offset and timestamp, so that a
 * record read twice (a rebalance, a restart before the commit) is stored once, while a new record at the offset of an
 * old one (the topic created again, another Kafka cluster) is a new dead letter.
 */
@ApplicationScoped
public class DeadLetterStore {

    static final String HEADER_PREFIX = "webhooks.dlq.";

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    public DeadLetterStore(EntityManager em, ObjectMapper json, Clock clock) {
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public int store(List<ConsumerRecord<byte[], byte[]>> records) {
        Instant now = clock.instant();
        int stored = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (indexedBeforeV24(record)) {
                continue;
            }
            stored += em.createNativeQuery("""
                    insert into dead_letter (id, dlq_topic, dlq_partition, dlq_offset, reason, message, source_topic,
                        source_partition, source_offset, failed_at, indexed_at, record_key, record_value, value_size,
                        headers, state, dlq_timestamp_ms)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, cast(?15 as jsonb), 'new', ?16)
                    on conflict (dlq_topic, dlq_partition, dlq_offset, dlq_timestamp_ms) do nothing""")
                    .setParameter(1, Ids.newId("dlq"))
                    .setParameter(2, record.topic())
                    .setParameter(3, record.partition())
                    .setParameter(4, record.offset())
                    .setParameter(5, clean(header(record, "reason"), "unknown"))
                    .setParameter(6, clean(header(record, "message"), null))
                    .setParameter(7, clean(header(record, "source.topic"), null))
                    .setParameter(8, number(header(record, "source.partition")))
                    .setParameter(9, longNumber(header(record, "source.offset")))
                    .setParameter(10, time(header(record, "failed-at"), record))
                    .setParameter(11, now)
                    .setParameter(12, record.key())
                    .setParameter(13, record.value())
                    .setParameter(14, record.value() == null ? 0 : record.value().length)
                    .setParameter(15, ownHeaders(record))
                    .setParameter(16, record.timestamp())
                    .executeUpdate();
        }
        return stored;
    }

    /**
     * Whether the record is a row indexed before V24 (which kept no timestamp), read again because its offset was not
     * committed then: the same coordinates and the same bytes.
     */
    private boolean indexedBeforeV24(ConsumerRecord<byte[], byte[]> record) {
        return !em.createNativeQuery("""
                select 1 from dead_letter where dlq_topic = ?1 and dlq_partition = ?2 and dlq_offset = ?3
                    and dlq_timestamp_ms is null and record_value is not distinct from cast(?4 as bytea)""")
                .setParameter(1, record.topic())
                .setParameter(2, record.partition())
                .setParameter(3, record.offset())
                .setParameter(4, record.value())
                .getResultList().isEmpty();
    }

    private String ownHeaders(ConsumerRecord<byte[], byte[]> record) {
        List<Map<String, String>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(HEADER_PREFIX)) {
                headers.add(Map.of("name", header.key(), "value",
                        header.value() == null ? "" : Base64.getEncoder().encodeToString(header.value())));
            }
        }
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(HEADER_PREFIX + name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Header text as PostgreSQL takes it: no NUL, bounded. */
    private static String clean(String value, String otherwise) {
        if (value == null) {
            return otherwise;
        }
        String text = value.replace('\u0000', '\uFFFD');
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }

    private static Integer number(String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longNumber(String value) {
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The time the header gives, if PostgreSQL can hold it; else the record's own. */
    private static Instant time(String value, ConsumerRecord<byte[], byte[]> record) {
        try {
            if (value != null) {
                Instant parsed = Instant.parse(value);
                if (!parsed.isBefore(Instant.EPOCH) && parsed.isBefore(Instant.parse("9999-12-31T00:00:00Z"))) {
                    return parsed;
                }
            }
        } catch (DateTimeParseException e) {
            // the record's own time below
        }
        return record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null;
    }
}
