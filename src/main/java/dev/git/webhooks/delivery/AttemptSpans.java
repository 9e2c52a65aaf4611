package dev.git.webhooks.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import dev.git.webhooks.outbox.AttemptResult;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.outbox.Outcome;
import dev.git.webhooks.tracing.TraceParent;
import dev.git.webhooks.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/**
 * The span of one attempt, from prepare to decide. It is a child of the event's producer context (stored with the
 * event, so retries claimed later, on any instance, join the same trace), or a root span when the producer sent
 * none; either way it links to the span that created the delivery on this instance (the ingest batch, an API
 * request) when that is another trace. The span is never made current: nothing else happens in its name, and the
 * customer's request gets no {@code traceparent} (see docs/operations.md, Tracing); the lines logged about the
 * attempt get its ids through {@link dev.git.webhooks.tracing.SpanLogs} instead.
 */
@ApplicationScoped
public class AttemptSpans {

    static final AttributeKey<String> OWNER = AttributeKey.stringKey("webhooks.owner");
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("webhooks.endpoint.id");
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("webhooks.event.type");
    static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("webhooks.event.id");
    static final AttributeKey<String> DELIVERY = AttributeKey.stringKey("webhooks.delivery.id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("webhooks.attempt");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> DURATION = AttributeKey.longKey("webhooks.attempt.duration_ms");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("webhooks.delivery.status");

    private final Tracing tracing;

    public AttemptSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Starts the span of an attempt; the invalid span (nothing recorded, nothing allocated) when tracing is off. */
    Span start(DeliveryJob job) {
        if (!tracing.enabled()) {
            return Span.getInvalid();
        }
        SpanContext parent = TraceParent.spanContext(job.trace().parent());
        SpanBuilder builder = tracing.tracer().spanBuilder("delivery attempt").setSpanKind(SpanKind.CLIENT);
        if (parent.isValid()) {
            builder.setParent(Context.root().with(Span.wrap(parent)));
        } else {
            builder.setNoParent();
        }
        SpanContext origin = TraceParent.spanContext(job.trace().origin());
        if (origin.isValid() && !origin.getTraceId().equals(parent.getTraceId())) {
            builder.addLink(origin);
        }
        return builder.setAttribute(OWNER, job.owner())
                .setAttribute(ENDPOINT, job.endpointId())
                .setAttribute(EVENT_TYPE, job.eventType())
                .setAttribute(EVENT_ID, job.eventId())
                .setAttribute(DELIVERY, job.deliveryId())
                .setAttribute(ATTEMPT, (long) job.attempt())
                .startSpan();
    }

    /** Ends it with what the attempt came to: ERROR unless the endpoint answered 2xx. */
    void end(Span span, Outcome outcome) {
        if (!span.isRecording()) {
            return; // tracing off, or the producer's trace is not sampled
        }
        AttemptResult result = outcome.result();
        if (result.status() != null) {
            span.setAttribute(STATUS, (long) result.status());
        }
        if (result.errorClass() != null) {
            span.setAttribute(ERROR, result.errorClass());
        }
        span.setAttribute(DURATION, result.durationMs());
        span.setAttribute(OUTCOME, outcome.status().value());
        if (!result.succeeded()) {
            span.setStatus(StatusCode.ERROR, result.summary());
        }
        span.end();
    }
}
