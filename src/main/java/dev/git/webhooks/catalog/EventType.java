package dev.git.webhooks.catalog;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of the catalog, as {@code GET /v2/event-types} answers it and docs/events.md shows it: the type's
 * name, who sends it, what it means, the JSON Schema of its {@code data}, and a whole event as delivered.
 */
public record EventType(String name, Kind kind, String description, JsonNode schema, JsonNode example) {

    /** Who sends events of a type. */
    public enum Kind {
        /** Published to Kafka by the platform's services, one topic per type. */
        PLATFORM,
        /** Made by the service on {@code POST /v2/webhooks/{id}/ping}, for one endpoint. */
        PING,
        /** Made by the service about the owner's own endpoints and deliveries: its operational notifications. */
        SYSTEM;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
