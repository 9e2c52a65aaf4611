package dev.git.webhooks.catalog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Drift is counted per event by type and first broken rule; conforming and unreadable events are not. */
class SchemaDriftTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final SchemaDrift drift = new SchemaDrift(new EventCatalog(), metrics, Clock.systemUTC());

    @Test
    void countsAnEventWhoseDataBreaksItsSchema() {
        drift.check("deploy.success", bytes("{\"event\":\"deploy.success\",\"data\":{\"deployment_id\":\"dep_1\"}}"));
        drift.check("deploy.success", bytes("{\"event\":\"deploy.success\",\"data\":{\"deployment_id\":7,"
                + "\"url\":\"https://x.dev\",\"duration_ms\":1}}"));

        assertThat(count("deploy.success", "required"), equalTo(1.0));
        assertThat(count("deploy.success", "type"), equalTo(1.0));
    }

    @Test
    void doesNotCountConformingEvents() {
        drift.check("deploy.success", bytes("{\"event\":\"deploy.success\",\"data\":{\"deployment_id\":\"dep_1\","
                + "\"url\":\"https://x.dev\",\"duration_ms\":1,\"new_field\":true}}"));
        drift.check("repo.push", new EventCatalog().find("repo.push").orElseThrow().example().toString()
                .getBytes(StandardCharsets.UTF_8));

        assertThat(metrics.find("webhooks.events.schema_violations").counters(), empty());
    }

    @Test
    void neverThrowsOnWhatItCannotRead() {
        drift.check("repo.push", bytes("{not json"));
        drift.check("no.such.type", bytes("{}"));

        assertThat(metrics.find("webhooks.events.schema_violations").counters(), empty());
    }

    private double count(String type, String rule) {
        return metrics.get("webhooks.events.schema_violations").tag("type", type).tag("rule", rule).counter().count();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
