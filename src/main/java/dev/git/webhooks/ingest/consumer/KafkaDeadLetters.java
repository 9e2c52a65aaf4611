package dev.git.webhooks.ingest.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;

import dev.git.webhooks.common.KafkaProducers;

/**
 * Publishes refused records to the dead-letter topic: the original key, value and headers, plus headers that say
 * why ({@code webhooks.dlq.reason}, {@code .message}), where from ({@code .source.topic}, {@code .partition},
 * {@code .offset}) and when ({@code .failed-at}). Waits for the broker's acknowledgement, so that offsets are
 * committed only afterwards. A letter the broker cannot take as it is (a value near the broker's limit no longer
 * fits once the headers are added) goes out truncated instead ({@code .truncated}, {@code .original-size}), so
 * that it can never hold its partition back.
 */
public final class KafkaDeadLetters implements DeadLetterSink, AutoCloseable {

    public static final String PREFIX = "webhooks.dlq.";
    private static final int MAX_KEPT_KEY_BYTES = 1024;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final int truncatedBytes;
    private final Clock clock;

    public KafkaDeadLetters(Producer<byte[], byte[]> producer, String topic, int truncatedBytes, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.truncatedBytes = truncatedBytes;
        this.clock = clock;
    }

    /** The service's acknowledged producer ({@link KafkaProducers}): idempotent, bounded waits. */
    public static KafkaDeadLetters create(Map<String, Object> kafka, String topic, int truncatedBytes, Clock clock) {
        return new KafkaDeadLetters(KafkaProducers.acknowledged(kafka, "webhooks-dlq"), topic, truncatedBytes, clock);
    }

    @Override
    public int publish(List<DeadLetter> letters) throws Exception {
        String failedAt = clock.instant().toString();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (DeadLetter letter : letters) {
            sent.add(producer.send(full(letter, failedAt)));
        }
        List<DeadLetter> tooLarge = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            if (!acknowledged(sent.get(i))) {
                tooLarge.add(letters.get(i));
            }
        }
        for (DeadLetter letter : tooLarge) {
            if (!acknowledged(producer.send(truncated(letter, failedAt, truncatedBytes)))
                    && !acknowledged(producer.send(truncated(letter, failedAt, 0)))) {
                throw new RecordTooLargeException("the broker refused even an empty dead letter for "
                        + letter.record().topic() + "-" + letter.record().partition() + "@"
                        + letter.record().offset());
            }
        }
        return tooLarge.size();
    }

    /** True when acknowledged, false when too large for the broker; any other failure is thrown. */
    private static boolean acknowledged(Future<RecordMetadata> future) throws Exception {
        try {
            future.get(40, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException) {
                return false;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private ProducerRecord<byte[], byte[]> full(DeadLetter letter, String failedAt) {
        ConsumerRecord<byte[], byte[]> source = letter.record();
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, null, source.key(), source.value());
        for (Header header : source.headers()) {
            if (!header.key().startsWith(PREFIX)) { // a redriven record refused again: only the latest verdict
                out.headers().add(header);
            }
        }
        describe(out, letter, failedAt);
        return out;
    }

    /** The value cut to {@code bytes}, the original headers dropped, the key kept only when it is short. */
    private ProducerRecord<byte[], byte[]> truncated(DeadLetter letter, String failedAt, int bytes) {
        ConsumerRecord<byte[], byte[]> source = letter.record();
        byte[] key = source.key() != null && source.key().length <= MAX_KEPT_KEY_BYTES ? source.key() : null;
        byte[] value = source.value() == null ? null
                : Arrays.copyOf(source.value(), Math.min(bytes, source.value().length));
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, null, key, value);
        describe(out, letter, failedAt);
        header(out, "truncated", "true");
        header(out, "original-size", String.valueOf(source.value() == null ? 0 : source.value().length));
        return out;
    }

    private static void describe(ProducerRecord<byte[], byte[]> out, DeadLetter letter, String failedAt) {
        ConsumerRecord<byte[], byte[]> source = letter.record();
        header(out, "reason", letter.reason());
        header(out, "message", letter.message());
        header(out, "source.topic", source.topic());
        header(out, "source.partition", String.valueOf(source.partition()));
        header(out, "source.offset", String.valueOf(source.offset()));
        header(out, "failed-at", failedAt);
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().add(PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
