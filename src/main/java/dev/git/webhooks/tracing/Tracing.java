package dev.git.webhooks.tracing;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

/**
 * The service's own tracer, and whether tracing is on. With the SDK disabled Quarkus still builds an SDK whose
 * spans record and are dropped; the span makers look at {@link #enabled()} first so that the hot paths (ingest,
 * every attempt) do no span work at all then.
 */
@ApplicationScoped
public class Tracing {

    /** The instrumentation scope of the service's spans. */
    public static final String SCOPE = "dev.git.webhooks";

    private final boolean enabled;
    private final Tracer tracer;

    public Tracing(OpenTelemetry openTelemetry,
            @ConfigProperty(name = TracingSwitch.SDK_DISABLED, defaultValue = "true") boolean disabled) {
        this.enabled = !disabled;
        this.tracer = (enabled ? openTelemetry : OpenTelemetry.noop()).getTracer(SCOPE);
    }

    public boolean enabled() {
        return enabled;
    }

    public Tracer tracer() {
        return tracer;
    }
}
