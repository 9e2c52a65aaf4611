package dev.git.webhooks.tracing;

import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

/**
 * Log lines about work whose span is not current where they are written: a delivery attempt's lines come from the
 * thread that completes its HTTP exchange (a Vert.x event loop) and from the engine's writer thread, after its span
 * ended. Making the span current there would also make it the parent of whatever runs meanwhile (the writer's
 * statements), so only the lines get its ids, in the MDC keys that the console format prints ({@code %X{traceId}},
 * {@code %X{spanId}}) and Quarkus fills for the current span.
 */
public final class SpanLogs {

    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";

    private SpanLogs() {
    }

    /** Runs {@code lines} (log calls) with the span's ids in the MDC; just runs them for an invalid span (tracing off). */
    public static void log(SpanContext span, Runnable lines) {
        if (!span.isValid()) {
            lines.run();
            return;
        }
        io.vertx.core.Context vertx = Vertx.currentContext();
        if (vertx instanceof ContextInternal root && !VertxContext.isDuplicatedContext(vertx)) {
            // on an event loop outside a duplicated context (the delivery client's callbacks), Quarkus's MDC reads
            // and writes a new duplicate at every call: the lines get one duplicate, current while they run
            ((ContextInternal) VertxContext.createNewDuplicatedContext(root)).dispatch(() -> withIds(span, lines));
            return;
        }
        withIds(span, lines);
    }

    private static void withIds(SpanContext span, Runnable lines) {
        Object trace = MDC.put(TRACE_ID, span.getTraceId());
        Object id = MDC.put(SPAN_ID, span.getSpanId());
        try {
            lines.run();
        } finally {
            restore(TRACE_ID, trace);
            restore(SPAN_ID, id);
        }
    }

    private static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
