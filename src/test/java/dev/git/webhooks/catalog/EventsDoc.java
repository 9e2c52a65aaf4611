package dev.git.webhooks.catalog;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Renders the catalog as the generated part of docs/events.md: an index, then per type its description, who sends
 * it, a table of its {@code data} fields, an example and the schema itself. Deterministic, so that a test can
 * compare it with the doc.
 */
final class EventsDoc {

    static final String BEGIN = "<!-- catalog:begin (generated from src/main/resources/catalog/event-types.json: "
            + "edit that file, then run ./mvnw test -Dtest=EventsDocTest -Dwebhooks.docs.write=true) -->";
    static final String END = "<!-- catalog:end -->";

    private static final ObjectWriter PRETTY = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private EventsDoc() {
    }

    static String render(List<EventType> types) {
        StringBuilder out = new StringBuilder(BEGIN).append("\n\n");
        out.append("| type | sent by | what happened |\n|---|---|---|\n");
        for (EventType type : types) {
            out.append("| [`").append(type.name()).append("`](#").append(type.name().replace(".", ""))
                    .append(") | ").append(sender(type)).append(" | ").append(cell(type.description())).append(" |\n");
        }
        for (EventType type : types) {
            out.append("\n### `").append(type.name()).append("`\n\n").append(type.description()).append("\n\n")
                    .append("Sent by ").append(sender(type)).append(".\n\n")
                    .append("| `data` field | type | required | meaning |\n|---|---|---|---|\n");
            fields(type.schema(), "", out);
            out.append("\n```json\n").append(json(type.example())).append("\n```\n\n")
                    .append("<details><summary>JSON Schema of <code>data</code></summary>\n\n```json\n")
                    .append(json(type.schema())).append("\n```\n\n</details>\n");
        }
        return out.append('\n').append(END).toString();
    }

    private static String sender(EventType type) {
        return switch (type.kind()) {
            case PLATFORM -> "the platform's services (Kafka topic `" + type.name() + "`)";
            case PING -> "the service, on request";
            case SYSTEM -> "the service";
        };
    }

    /** One row per property, nested objects and array items as {@code parent.child} and {@code list[].child}. */
    private static void fields(JsonNode schema, String prefix, StringBuilder out) {
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode p = property.getValue();
            String name = prefix + property.getKey();
            out.append("| `").append(name).append("` | ").append(type(p)).append(" | ")
                    .append(required.contains(property.getKey()) ? "yes" : "no").append(" | ")
                    .append(cell(p.path("description").asText())).append(" |\n");
            if (p.has("properties")) {
                fields(p, name + ".", out);
            } else if (p.path("items").has("properties")) {
                fields(p.get("items"), name + "[].", out);
            }
        }
    }

    private static String type(JsonNode p) {
        List<String> names = new ArrayList<>();
        if (p.path("type").isArray()) {
            p.get("type").forEach(t -> names.add(t.asText()));
        } else {
            names.add(p.path("type").asText("any"));
        }
        String type = String.join(" or ", names);
        if (p.path("items").has("type")) {
            type += " of " + p.get("items").get("type").asText();
        }
        if (p.has("format")) {
            type += " (" + p.get("format").asText() + ")";
        }
        if (p.has("minimum")) {
            type += ", ≥ " + p.get("minimum").asText();
        }
        if (p.has("enum")) {
            List<String> values = new ArrayList<>();
            p.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            type += ": " + String.join(", ", values);
        }
        return type;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String json(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
