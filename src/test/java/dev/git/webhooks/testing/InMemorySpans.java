package dev.git.webhooks.testing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * The span exporter of the tests: Quarkus exports to every {@code SpanExporter} bean (and then leaves OTLP out).
 * It only receives spans where a test profile switches tracing on; with the default (off) it stays empty.
 */
@Singleton
public class InMemorySpans {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return exporter;
    }
}
