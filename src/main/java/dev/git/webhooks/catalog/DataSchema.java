package dev.git.webhooks.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The subset of JSON Schema (2020-12) that the catalog uses: {@code type}, {@code enum}, {@code required},
 * {@code properties}, {@code additionalProperties}, {@code items}, {@code minimum} and {@code format}
 * ({@code date-time}, {@code uri}). Written here rather than taken from a library because it runs on every ingested
 * event: a walk over the tree with no allocation unless something is wrong. Annotations ({@code description},
 * {@code $schema}, …) are ignored; {@link #KEYWORDS} lists what is enforced, and a test keeps the catalog to it.
 */
public final class DataSchema {

    /** One way a value breaks its schema: where ({@code $.data.commits[0].id}), the keyword, and what is wrong. */
    public record Violation(String path, String rule, String message) {
    }

    /** The keywords that are checked; any other keyword in a schema documents only. */
    public static final Set<String> KEYWORDS = Set.of("type", "enum", "required", "properties",
            "additionalProperties", "items", "minimum", "format");
    /**
     * The {@link Violation#rule() rule} of every violation: what the drift counter's {@code rule} label can be, each
     * value counted from 0 at start-up.
     */
    public static final List<String> RULES = List.of("type", "enum", "minimum", "format", "required",
            "additionalProperties");
    /** The annotations a catalog schema may carry besides {@link #KEYWORDS}. */
    public static final Set<String> ANNOTATIONS = Set.of("description", "$schema", "title");

    private static final int MAX_VIOLATIONS = 10;

    private DataSchema() {
    }

    /** The violations of {@code value} against {@code schema} (at most ten), empty when it conforms. */
    public static List<Violation> validate(JsonNode schema, JsonNode value, String path) {
        List<Violation> out = new ArrayList<>(0);
        check(schema, value, path, out);
        return out;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<Violation> out) {
        if (out.size() >= MAX_VIOLATIONS || schema == null || !schema.isObject()) {
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null && !matchesType(type, value)) {
            add(out, new Violation(path, "type", "must be " + (type.isArray() ? "one of " + type : type.asText())
                    + ", is " + typeOf(value)));
            return; // nothing else can be said usefully about a value of the wrong type
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && !contains(allowed, value)) {
            add(out, new Violation(path, "enum", "must be one of " + allowed));
        }
        JsonNode minimum = schema.get("minimum");
        if (minimum != null && value.isNumber() && value.decimalValue().compareTo(minimum.decimalValue()) < 0) {
            add(out, new Violation(path, "minimum", "must be at least " + minimum));
        }
        JsonNode format = schema.get("format");
        if (format != null && value.isTextual() && !matchesFormat(format.asText(), value.asText())) {
            add(out, new Violation(path, "format", "must be a " + format.asText()));
        }
        if (value.isObject()) {
            checkObject(schema, value, path, out);
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static void add(List<Violation> out, Violation violation) {
        if (out.size() < MAX_VIOLATIONS) {
            out.add(violation);
        }
    }

    private static void checkObject(JsonNode schema, JsonNode value, String path, List<Violation> out) {
        JsonNode required = schema.get("required");
        if (required != null) {
            for (JsonNode name : required) {
                if (!value.has(name.asText())) {
                    add(out, new Violation(path + "." + name.asText(), "required", "is missing"));
                }
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode property = properties.get(field.getKey());
            String at = path + "." + field.getKey();
            if (property != null) {
                check(property, field.getValue(), at, out);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                add(out, new Violation(at, "additionalProperties", "is not a known field"));
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), at, out);
            }
        }
    }

    private static boolean matchesType(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (matchesType(one.asText(), value)) {
                    return true;
                }
            }
            return false;
        }
        return matchesType(type.asText(), value);
    }

    private static boolean matchesType(String type, JsonNode value) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            case "number" -> value.isNumber();
            // 2020-12: a number with a zero fractional part (1.0) is an integer
            case "integer" -> value.isIntegralNumber() || value.isNumber()
                    && value.decimalValue().stripTrailingZeros().scale() <= 0;
            default -> true;
        };
    }

    private static String typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static boolean contains(JsonNode allowed, JsonNode value) {
        for (JsonNode one : allowed) {
            if (one.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Light checks: RFC 3339 date-times, and absolute URIs. Unknown formats are annotations. */
    private static boolean matchesFormat(String format, String text) {
        switch (format) {
            case "date-time":
                if (text.indexOf('T') < 0 && text.indexOf('t') < 0) {
                    return false;
                }
                try {
                    OffsetDateTime.parse(text.toUpperCase(Locale.ROOT));
                    return true;
                } catch (DateTimeParseException e) {
                    return false;
                }
            case "uri":
                try {
                    return new URI(text).isAbsolute();
                } catch (URISyntaxException e) {
                    return false;
                }
            default:
                return true;
        }
    }
}
