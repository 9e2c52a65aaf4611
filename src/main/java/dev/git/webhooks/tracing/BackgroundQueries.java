package dev.git.webhooks.tracing;

import java.util.List;

import jakarta.inject.Singleton;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.quarkus.arc.Unremovable;
import io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer;

/**
 * Leaves out the database statements that run outside any traced work: the delivery engine's claims and probes, the
 * heartbeat and lease renewals, the reaper, the engine's writes, the readiness probe, the gauges. Each would be
 * a trace of one span, several a second on every instance, burying the traces that matter. Statements inside an
 * ingest batch or an API request (they have a parent) are kept. Wraps whatever sampler is configured.
 */
@Singleton
@Unremovable
public class BackgroundQueries implements AutoConfiguredOpenTelemetrySdkBuilderCustomizer {

    @Override
    public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        builder.addSamplerCustomizer((configured, properties) -> new Quiet(configured));
    }

    /** Drops parentless database spans; asks the configured sampler about everything else. */
    static final class Quiet implements Sampler {

        private static final List<AttributeKey<String>> DATABASE = List.of(AttributeKey.stringKey("db.system"),
                AttributeKey.stringKey("db.system.name"));

        private final Sampler configured;

        Quiet(Sampler configured) {
            this.configured = configured;
        }

        @Override
        public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
                Attributes attributes, List<LinkData> links) {
            if (kind == SpanKind.CLIENT && !Span.fromContext(parent).getSpanContext().isValid()
                    && DATABASE.stream().anyMatch(key -> attributes.get(key) != null)) {
                return SamplingResult.drop();
            }
            return configured.shouldSample(parent, traceId, name, kind, attributes, links);
        }

        @Override
        public String getDescription() {
            return "NoBackgroundQueries{" + configured.getDescription() + "}";
        }
    }
}
