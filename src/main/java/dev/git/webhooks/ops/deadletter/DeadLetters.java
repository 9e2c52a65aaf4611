package dev.git.webhooks.ops.deadletter;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.common.KafkaProducers;
import dev.git.webhooks.common.Refusal;
import dev.git.webhooks.ingest.IngestConfig;
import io.smallrye.common.annotation.Identifier;

/**
 * Browses the indexed dead letters; redrives one (its stored key, value and own headers published back to its
 * source topic, acknowledged by the broker, then marked) or discards one (marked; the record stays in Kafka until
 * its retention). Redrive publishes only to the topics the service consumes. No transaction is open while Kafka is
 * called: a crash between the broker's ack and the mark leaves the letter {@code new}, and redriving it again
 * publishes a copy that ingest drops as a known event id.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REDRIVEN_FROM = "webhooks.redriven-from";

    private final IngestConfig ingest;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Object> kafka;
    private KafkaProducer<byte[], byte[]> producer;

    @Inject
    public DeadLetters(IngestConfig ingest, ObjectMapper json, Clock clock,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.ingest = ingest;
        this.json = json;
        this.clock = clock;
        this.kafka = kafka;
    }

    @Transactional
    public List<DeadLetter> list(String state, String reason, PageRequest page) {
        return list(state, reason, null, TimeRange.ANY, page);
    }

    /**
     * Letters newest first, in a state, of a reason, from a source topic (a producer's own), and dead-lettered in
     * {@code range} (when the record failed, or when it was indexed if its headers did not say).
     */
    @Transactional
    public List<DeadLetter> list(String state, String reason, String topic, TimeRange range, PageRequest page) {
        List<Object> params = new ArrayList<>();
        params.add(page.before());
        StringBuilder where = new StringBuilder("seq < ?1");
        for (String[] term : new String[][] {{"state", state}, {"reason", reason}, {"sourceTopic", topic}}) {
            if (term[1] != null && !term[1].isBlank()) {
                params.add(term[1]);
                where.append(" and ").append(term[0]).append(" = ?").append(params.size());
            }
        }
        if (range.since() != null) {
            params.add(range.since());
            where.append(" and coalesce(failedAt, indexedAt) >= ?").append(params.size());
        }
        if (range.until() != null) {
            params.add(range.until());
            where.append(" and coalesce(failedAt, indexedAt) < ?").append(params.size());
        }
        return DeadLetter.<DeadLetter>find(where + " order by seq desc", params.toArray())
                .page(0, page.fetchSize()).list();
    }

    @Transactional
    public DeadLetter get(String id) {
        DeadLetter letter = DeadLetter.findById(id);
        if (letter == null) {
            throw Refusal.notFound("dead letter", id);
        }
        return letter;
    }

    @Transactional
    public long countNew() {
        return DeadLetter.count("state", DeadLetter.NEW);
    }

    /** Publishes the letter back to its source topic and marks it {@code redriven} by {@code keyId}. */
    public DeadLetter redrive(String id, String keyId) {
        DeadLetter letter = requireNew(get(id));
        if (letter.sourceTopic == null || !ingest.topics().contains(letter.sourceTopic)) {
            throw Refusal.conflict("The dead letter's source topic (" + letter.sourceTopic + ") is not one "
                    + "that this service consumes; it cannot be redriven.");
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(letter.sourceTopic, null, letter.recordKey,
                letter.recordValue);
        headers(letter).forEach(h -> record.headers().add(h.get("name"), Base64.getDecoder().decode(h.get("value"))));
        record.headers().add(REDRIVEN_FROM, letter.id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            producer().send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refusal.unavailable("kafka_unavailable", "Kafka did not take the record; try again.");
        } catch (Exception e) {
            throw Refusal.unavailable("kafka_unavailable", "Kafka did not take the record; try again.");
        }
        return mark(id, DeadLetter.REDRIVEN, keyId);
    }

    @Transactional
    public DeadLetter discard(String id, String keyId) {
        requireNew(get(id));
        return mark(id, DeadLetter.DISCARDED, keyId);
    }

    @Transactional
    DeadLetter mark(String id, String state, String keyId) {
        DeadLetter letter = get(id);
        letter.state = state;
        letter.stateChangedAt = clock.instant();
        letter.stateChangedBy = keyId;
        return letter;
    }

    public List<Map<String, String>> headers(DeadLetter letter) {
        try {
            return json.readValue(letter.headers, new TypeReference<List<Map<String, String>>>() {
            });
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static DeadLetter requireNew(DeadLetter letter) {
        if (!DeadLetter.NEW.equals(letter.state)) {
            throw Refusal.conflict("The dead letter was " + letter.state + " already.");
        }
        return letter;
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = KafkaProducers.acknowledged(kafka, "webhooks-redrive");
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
