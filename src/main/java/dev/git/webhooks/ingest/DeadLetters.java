package dev.git.webhooks.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

import dev.git.webhooks.common.KafkaProducers;

/**
 * Publishes refused records to the dead-letter topic: the original key, value and headers, plus headers that say
 * why ({@code webhooks.dlq.reason}, {@code .message}) and where from ({@code .source.topic}, {@code .partition},
 * {@code .offset}). Waits for the broker's acknowledgement, so that offsets are committed only afterwards.
 */
final class DeadLetters implements AutoCloseable {

    static final String PREFIX = "webhooks.dlq.";

    /** A refused record and why. */
    record DeadLetter(ConsumerRecord<byte[], byte[]> record, EventValidator.Rejection rejection) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final Clock clock;

    DeadLetters(Map<String, Object> kafka, String topic, Clock clock) {
        this.producer = KafkaProducers.acknowledged(kafka, "webhooks-dlq");
        this.topic = topic;
        this.clock = clock;
    }

    void publish(List<DeadLetter> letters) throws ExecutionException, InterruptedException, TimeoutException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (DeadLetter letter : letters) {
            ConsumerRecord<byte[], byte[]> source = letter.record();
            ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, null, source.key(), source.value());
            for (Header header : source.headers()) {
                out.headers().add(header);
            }
            header(out, "reason", letter.rejection().reason());
            header(out, "message", letter.rejection().message());
            header(out, "source.topic", source.topic());
            header(out, "source.partition", String.valueOf(source.partition()));
            header(out, "source.offset", String.valueOf(source.offset()));
            header(out, "failed-at", clock.instant().toString());
            sent.add(producer.send(out));
        }
        for (Future<RecordMetadata> future : sent) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().add(PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
