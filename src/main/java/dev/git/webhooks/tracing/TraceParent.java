package dev.git.webhooks.tracing;

import java.nio.charset.StandardCharsets;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * A W3C trace context as the service keeps it: the {@code traceparent} value, normalised
 * ({@code 00-<trace id>-<span id>-<flags>}), or null. It is stored with an event and carried by its deliveries as a
 * string, so that the outbox knows nothing of OpenTelemetry; only the span makers turn it back into a context.
 * {@code tracestate} is not kept: the trace is continued, vendor state is not.
 */
public final class TraceParent {

    /** The Kafka header (and HTTP header) that carries it. */
    public static final String HEADER = "traceparent";
    /** Longer values are not looked at: a valid one has 55 characters (future versions may add a few fields). */
    private static final int MAX_LENGTH = 256;
    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private TraceParent() {
    }

    /** The normalised value of a header, or null when it is absent or not a valid W3C {@code traceparent}. */
    public static String parse(byte[] header) {
        if (header == null || header.length > MAX_LENGTH) {
            return null;
        }
        return parse(new String(header, StandardCharsets.US_ASCII));
    }

    /** The normalised value, or null when absent or not a valid W3C {@code traceparent}. */
    public static String parse(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return null;
        }
        return format(spanContext(value));
    }

    /** The remote span context a stored value names; {@link SpanContext#getInvalid()} for null or garbage. */
    public static SpanContext spanContext(String traceparent) {
        if (traceparent == null) {
            return SpanContext.getInvalid();
        }
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, ONE_VALUE);
        return Span.fromContext(extracted).getSpanContext();
    }

    /** The context of the current span (an API request, an ingest batch), or null when there is none. */
    public static String current() {
        return format(Span.current().getSpanContext());
    }

    static String format(SpanContext context) {
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }
}
