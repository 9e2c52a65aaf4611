package dev.git.webhooks.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Reading request bodies taken as JSON trees: absent versus null, unknown fields, and simple types. */
public final class JsonBodies {

    private JsonBodies() {
    }

    /** The body as an object; no body counts as {@code {}}; anything else is refused. */
    public static JsonNode objectOrEmpty(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        requireObject(body);
        return body;
    }

    public static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
    }

    public static void onlyKnown(JsonNode body, Set<String> known, FieldChecks checks) {
        body.fieldNames().forEachRemaining(name -> checks.check(known.contains(name), name, "is not a known field"));
    }

    /** A boolean field; null when absent or null, and a field error when it is something else. */
    public static Boolean bool(JsonNode body, String field, FieldChecks checks) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        checks.check(node.isBoolean(), field, "must be true or false");
        return node.isBoolean() ? node.asBoolean() : null;
    }

    /** A string field, or {@code otherwise} when absent or null; a field error when it is something else. */
    public static String text(JsonNode body, String field, String otherwise, FieldChecks checks) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        checks.check(value.isTextual(), field, "must be a string");
        return value.isTextual() ? value.textValue() : otherwise;
    }

    /** A list of strings, empty when absent or null; a field error ({@code rule}) when it is something else. */
    public static List<String> texts(JsonNode body, String field, String rule, FieldChecks checks) {
        JsonNode list = body.get(field);
        List<String> values = new ArrayList<>();
        if (list != null && !list.isNull()) {
            boolean texts = list.isArray();
            for (JsonNode item : list) {
                texts &= item.isTextual();
                values.add(item.asText());
            }
            checks.check(texts, field, rule);
            return texts ? values : List.of();
        }
        return values;
    }
}
