package dev.git.webhooks.tracing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class TracingSwitchTest {

    @Test
    void tracingIsOffWithoutAnEndpointEvenWithTheExtensionsDefaultOne() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withDefaultValue("quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317")
                .withSources(new TracingSwitch()).build();
        assertThat(disabled(config), equalTo(true));
    }

    @Test
    void anOtlpEndpointSwitchesTracingOn() {
        assertThat(disabled(config(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317"))),
                equalTo(false));
        assertThat(disabled(config(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4318"))),
                equalTo(false));
    }

    @Test
    void aBlankEndpointLeavesItOff() {
        assertThat(disabled(config(Map.of("quarkus.otel.exporter.otlp.endpoint", " "))), equalTo(true));
    }

    @Test
    void anExplicitSettingWinsEitherWay() {
        assertThat(disabled(config(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317",
                "quarkus.otel.sdk.disabled", "true"))), equalTo(true));
        assertThat(disabled(config(Map.of("quarkus.otel.sdk.disabled", "false"))), equalTo(false));
    }

    /** docs/operations.md tells operators to set environment variables: the switch reads them by those names. */
    @Test
    void theDocumentedEnvironmentVariablesSwitchItOnAndOff() {
        assertThat(disabled(environment(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317"))),
                equalTo(false));
        assertThat(disabled(environment(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "http://otel-collector:4318"))), equalTo(false));
        assertThat(disabled(environment(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317",
                "QUARKUS_OTEL_SDK_DISABLED", "true"))), equalTo(true));
        assertThat(disabled(environment(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"))),
                equalTo(true));
    }

    /** The variables as the environment source of a running instance reads them (ordinal 300). */
    private static SmallRyeConfig environment(Map<String, String> variables) {
        return new SmallRyeConfigBuilder()
                .withDefaultValue("quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317")
                .withSources(new EnvConfigSource(variables, 300))
                .withSources(new TracingSwitch()).build();
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new TracingSwitch()).build();
    }

    private static boolean disabled(SmallRyeConfig config) {
        return config.getValue(TracingSwitch.SDK_DISABLED, Boolean.class);
    }
}
