package dev.git.webhooks.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every event type a webhook can receive, read from {@code catalog/event-types.json}: the one source of the
 * descriptions, {@code data} schemas and examples that {@code GET /v2/event-types} answers and docs/events.md shows
 * (a test regenerates the doc from it). Immutable, loaded once.
 */
@Singleton
public class EventCatalog {

    static final String RESOURCE = "/catalog/event-types.json";

    private final List<EventType> types;

    public EventCatalog() {
        this.types = read();
    }

    /** Every type, in the catalog's order: platform types, ping, system types. */
    public List<EventType> all() {
        return types;
    }

    public Optional<EventType> find(String name) {
        return types.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The names of the types of one kind. */
    public List<String> names(EventType.Kind kind) {
        return types.stream().filter(t -> t.kind() == kind).map(EventType::name).toList();
    }

    private static List<EventType> read() {
        try (InputStream in = EventCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            List<EventType> list = new ArrayList<>();
            for (JsonNode entry : new ObjectMapper().readTree(in)) {
                list.add(new EventType(entry.path("name").asText(),
                        EventType.Kind.valueOf(entry.path("kind").asText().toUpperCase(Locale.ROOT)),
                        entry.path("description").asText(), entry.get("schema"), entry.get("example")));
            }
            return List.copyOf(list);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
