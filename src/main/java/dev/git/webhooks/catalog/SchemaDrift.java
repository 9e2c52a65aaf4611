package dev.git.webhooks.catalog;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * Compares the {@code data} of each stored producer event with its type's schema, so that producers see drift in
 * {@code webhooks_events_schema_violations_total{type,rule}} (one count per event, by the first rule it breaks).
 * It documents, it never filters: the event has been stored and is delivered as the producer wrote it whatever
 * this says. Runs after the store transaction, on the ingest thread; it costs one parse of the record (a few
 * microseconds for a typical event) and never throws. What broke is logged at most once a minute per type.
 * <p>
 * The counter has a series at 0 for every platform type and rule from start-up ({@link Startup}): the alert
 * {@code WebhooksSchemaDrift} reads it with {@code increase()}, which sees nothing in a series whose first sample is
 * already 1, so that the first drifting event after a restart would otherwise go unnoticed.
 */
@Startup
@ApplicationScoped
public class SchemaDrift {

    static final String COUNTER = "webhooks.events.schema_violations";

    private static final Logger LOG = Logger.getLogger(SchemaDrift.class);
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> schemas = new HashMap<>();
    private final Map<String, Instant> lastLogged = new HashMap<>();
    private final MeterRegistry metrics;
    private final Clock clock;

    public SchemaDrift(EventCatalog catalog, MeterRegistry metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
        catalog.all().forEach(type -> schemas.put(type.name(), type.schema()));
        catalog.all().stream().filter(type -> type.kind() == EventType.Kind.PLATFORM).forEach(type -> DataSchema.RULES
                .forEach(rule -> metrics.counter(COUNTER, "type", type.name(), "rule", rule)));
    }

    /** Counts the event when its {@code data} breaks the schema of {@code type}. */
    public void check(String type, byte[] payload) {
        if (!schemas.containsKey(type)) {
            return;
        }
        try {
            check(type, JSON.readTree(payload));
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Could not check the data of a %s event against its schema: %s", type, e.getMessage());
        }
    }

    /** {@link #check(String, byte[])} of an event already parsed ({@code event}: the whole event's JSON). */
    public void check(String type, JsonNode event) {
        JsonNode schema = schemas.get(type);
        if (schema == null) {
            return;
        }
        try {
            List<DataSchema.Violation> violations = DataSchema.validate(schema, event.path("data"), "$.data");
            if (!violations.isEmpty()) {
                DataSchema.Violation first = violations.get(0);
                metrics.counter(COUNTER, "type", type, "rule", first.rule()).increment();
                log(type, violations);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Could not check the data of a %s event against its schema: %s", type, e.getMessage());
        }
    }

    private synchronized void log(String type, List<DataSchema.Violation> violations) {
        Instant now = clock.instant();
        Instant last = lastLogged.get(type);
        if (last == null || !now.isBefore(last.plus(LOG_EVERY))) {
            lastLogged.put(type, now);
            LOG.warnf("A %s event does not match its schema (counted, delivered as is; next such line in a minute "
                    + "at most): %s", type, violations.stream().map(v -> v.path() + " " + v.message()).toList());
        }
    }
}
