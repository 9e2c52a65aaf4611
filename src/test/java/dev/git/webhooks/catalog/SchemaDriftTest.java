package dev.git.webhooks.catalog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.junit.jupiter.api.Test;

import dev.git.webhooks.subscription.EventTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Drift is counted per event by type and first broken rule; conforming and unreadable events are not. Every platform
 * type and rule has its series at 0 before the first event, for the alert's {@code increase()}.
 */
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

        assertThat(counted(), empty());
    }

    @Test
    void neverThrowsOnWhatItCannotRead() {
        drift.check("repo.push", bytes("{not json"));
        drift.check("no.such.type", bytes("{}"));

        assertThat(counted(), empty());
    }

    @Test
    void everyPlatformTypeAndRuleIsCountedFromZeroBeforeTheFirstEvent() {
        for (String type : EventTypes.ALL) {
            for (String rule : DataSchema.RULES) {
                assertThat(type + " " + rule, count(type, rule), equalTo(0.0));
            }
        }
        assertThat(metrics.find("webhooks.events.schema_violations").counters(),
                hasSize(EventTypes.ALL.size() * DataSchema.RULES.size()));
    }

    @Test
    void everyRuleItCountsIsOneThatStartsAtZero() {
        String[] breaking = {"{\"data\":7}", "{\"data\":{}}", "{\"data\":{\"ref\":\"r\",\"commits\":[],\"x\":1}}",
            "{\"data\":{\"deployment_id\":\"d\",\"url\":\"not a uri\",\"duration_ms\":-1}}"};
        for (String payload : breaking) {
            drift.check("repo.push", bytes(payload));
            drift.check("deploy.success", bytes(payload));
        }
        assertThat(metrics.find("webhooks.events.schema_violations").counters().stream()
                .map(c -> c.getId().getTag("rule")).filter(rule -> !DataSchema.RULES.contains(rule)).toList(),
                empty());
        assertThat(counted(), not(empty()));
    }

    /** The series that counted something. */
    private java.util.List<String> counted() {
        return metrics.find("webhooks.events.schema_violations").counters().stream().filter(c -> c.count() > 0)
                .map(c -> c.getId().getTag("type") + " " + c.getId().getTag("rule")).toList();
    }

    private double count(String type, String rule) {
        return metrics.get("webhooks.events.schema_violations").tag("type", type).tag("rule", rule).counter().count();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
