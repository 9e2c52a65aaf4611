package dev.git.webhooks.tracing;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Tracing is on exactly when an OTLP endpoint is configured: this source sets {@code quarkus.otel.sdk.disabled}
 * from {@code quarkus.otel.exporter.otlp.endpoint} (or its {@code .traces.} form). Its ordinal is below
 * application.properties and the environment, so an explicit {@code quarkus.otel.sdk.disabled} still wins (the
 * tests switch the SDK on that way, with an in-memory exporter). Without it the extension's defaults would export
 * to {@code localhost:4317} and log a failure at every batch.
 */
public class TracingSwitch implements ConfigSourceFactory {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.traces.endpoint",
            "quarkus.otel.exporter.otlp.endpoint");
    /** Above the extensions' defaults, below application.properties (250) and the environment (300). */
    static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean on = ENDPOINTS.stream().anyMatch(name -> configured(context.getValue(name)));
        return List.of(new PropertiesConfigSource(Map.of(SDK_DISABLED, String.valueOf(!on)), "webhooks tracing switch",
                ORDINAL));
    }

    /** Set by someone: not blank, and not one of the defaults the extension registers (the lowest ordinal). */
    private static boolean configured(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() > Integer.MIN_VALUE;
    }
}
