package dev.git.webhooks.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.git.webhooks.tracing.Tracing;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** A batch's span says when the batch failed (it is rewound and read again), on the span itself. */
class BatchSpansTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final BatchSpans spans = new BatchSpans(new Tracing(OpenTelemetrySdk.builder().setTracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build(),
            false), config());

    @Test
    void aFailedBatchsSpanIsAnErrorWithItsException() {
        IllegalStateException failure = new IllegalStateException("the database is away");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> spans.handle(records(), () -> {
            throw failure;
        })), "the failure goes on to the loop");
        List<SpanData> ended = exporter.getFinishedSpanItems();
        assertEquals(1, ended.size());
        assertEquals(StatusCode.ERROR, ended.get(0).getStatus().getStatusCode());
        assertEquals("exception", ended.get(0).getEvents().get(0).getName());
    }

    @Test
    void aStoredBatchsSpanIsNoError() throws Exception {
        spans.handle(records(), () -> { });
        assertEquals(StatusCode.UNSET, exporter.getFinishedSpanItems().get(0).getStatus().getStatusCode());
    }

    private static ConsumerRecords<byte[], byte[]> records() {
        TopicPartition partition = new TopicPartition("repo.push", 0);
        return new ConsumerRecords<>(Map.of(partition, List.of(new ConsumerRecord<>("repo.push", 0, 0L,
                new byte[0], new byte[0]))));
    }

    private static IngestConfig config() {
        return (IngestConfig) Proxy.newProxyInstance(IngestConfig.class.getClassLoader(),
                new Class<?>[] { IngestConfig.class }, (proxy, method, args) -> "webhooks");
    }
}
