package dev.git.webhooks.catalog;

import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of the catalog, as {@code GET /v2/event-types} answers it and docs/events.md shows it: the type's
 * name, who sends it, what it means, the JSON Schema of its {@code data}, and a whole event as delivered.
 */
public record EventType(
        @Schema(example = "deploy.failed") String name,
        Kind kind,
        @Schema(example = "A deployment failed; the previous version keeps running.") String description,
        @Schema(description = "The JSON Schema of the event's data.", example = """
                {"type":"object","required":["deployment_id","error"],"properties":{"deployment_id":\
                {"type":"string"},"environment":{"type":"string"},"error":{"type":"string"},\
                "duration_ms":{"type":"integer","minimum":0}}}""") JsonNode schema,
        @Schema(description = "A whole event as delivered.", example = """
                {"event":"deploy.failed","id":"evt_9x31q","timestamp":"2025-01-20T14:41:10Z","owner":"acme",\
                "repo":"acme/backend-api","data":{"deployment_id":"dep_8k20p","environment":"staging",\
                "error":"health check timed out","duration_ms":61000}}""") JsonNode example) {

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
