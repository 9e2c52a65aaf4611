package dev.git.webhooks.ingest;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;

import dev.git.webhooks.tracing.TraceParent;
import dev.git.webhooks.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * The span of one polled batch. A batch holds records of many traces, so (as the OpenTelemetry messaging
 * conventions have it for batch processing) it is a trace of its own, linked to each record's producer context;
 * the database statements that store it are its children. Each event keeps its producer's context, and the
 * attempts of its deliveries continue that one (see {@code delivery.AttemptSpans}).
 */
@ApplicationScoped
public class BatchSpans implements dev.git.webhooks.ingest.consumer.BatchHook {

    static final AttributeKey<Long> RECORDS = AttributeKey.longKey("webhooks.ingest.records");
    static final AttributeKey<Long> STORED = AttributeKey.longKey("webhooks.ingest.stored");
    static final AttributeKey<Long> DUPLICATES = AttributeKey.longKey("webhooks.ingest.duplicates");
    static final AttributeKey<Long> DEAD_LETTERED = AttributeKey.longKey("webhooks.ingest.dead_lettered");
    static final AttributeKey<Long> DURATION = AttributeKey.longKey("webhooks.ingest.duration_ms");

    private final Tracing tracing;
    private final String group;

    public BatchSpans(Tracing tracing, IngestConfig config) {
        this.tracing = tracing;
        this.group = config.groupId();
    }

    /** Handles the batch inside its span (current meanwhile); with tracing off, just handles it. */
    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records, Handling handling) throws Exception {
        if (!tracing.enabled()) {
            handling.run();
            return;
        }
        SpanBuilder builder = tracing.tracer().spanBuilder("ingest batch").setNoParent()
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.operation.name", "process")
                .setAttribute("messaging.consumer.group.name", group)
                .setAttribute("messaging.batch.message_count", (long) records.count())
                .setAttribute(RECORDS, (long) records.count());
        Set<String> linked = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Header header = record.headers().lastHeader(TraceParent.HEADER);
            String producer = header == null ? null : TraceParent.parse(header.value());
            if (producer != null && linked.add(producer)) {
                SpanContext context = TraceParent.spanContext(producer);
                builder.addLink(context);
            }
        }
        Span span = builder.startSpan();
        long start = System.nanoTime();
        try (Scope scope = span.makeCurrent()) {
            handling.run();
        } catch (Exception e) { // on the batch's own span, before it ends: the loop hears of the failure after
            span.recordException(e).setStatus(StatusCode.ERROR, "batch not stored; rewound to try again");
            throw e;
        } finally {
            span.setAttribute(DURATION, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            span.end();
        }
    }

    /** What the store made of the batch, on its span (called inside {@link #handle}). */
    void stored(int stored, int duplicates) {
        if (tracing.enabled()) {
            Span.current().setAttribute(STORED, stored).setAttribute(DUPLICATES, duplicates);
        }
    }

    @Override
    public void deadLettered(int count) {
        if (tracing.enabled()) {
            Span.current().setAttribute(DEAD_LETTERED, count);
        }
    }

}
