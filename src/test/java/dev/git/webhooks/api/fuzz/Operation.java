package dev.git.webhooks.api.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;

import dev.git.webhooks.testing.RawHttp;

/**
 * One route and method of the OpenAPI document, with the query parameters and body fields it takes, and the
 * building of raw requests to it. Body fields come from the document's schema where it has one; JSON-tree bodies
 * have none there, so the fields docs/api.md gives them are added by hand.
 */
record Operation(String method, String template, List<String> query, Set<String> fields, boolean body) {

    static final Map<String, List<String>> DOCUMENTED_FIELDS = Map.of(
            "POST /v2/webhooks", List.of("url", "events", "repos", "description", "active", "secret"),
            "PATCH /v2/webhooks/{id}", List.of("url", "events", "repos", "description", "active"),
            "POST /v2/webhooks/{id}/rotate-secret", List.of("grace_period_seconds", "secret"),
            "POST /v2/webhooks/{id}/enable", List.of("replay_failed"),
            "POST /v2/webhooks/{id}/replay", List.of("status", "since", "until", "events", "dry_run"),
            "POST /v2/api-keys", List.of("owner", "name", "scopes", "plan", "rate_limit"));

    /** Every operation under {@code /v2} in the document. */
    static List<Operation> all(JsonNode openapi) {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/v2")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(Locale.ROOT);
                List<String> query = new ArrayList<>();
                op.getValue().path("parameters").forEach(p -> {
                    if ("query".equals(p.path("in").asText())) {
                        query.add(p.get("name").asText());
                    }
                });
                Set<String> fields = new TreeSet<>(DOCUMENTED_FIELDS.getOrDefault(method + " " + path.getKey(),
                        List.of()));
                JsonNode schema = op.getValue().at("/requestBody/content/application~1json/schema");
                String ref = schema.path("$ref").asText("");
                JsonNode resolved = ref.isEmpty() ? schema : openapi.at(ref.substring(1));
                resolved.path("properties").fieldNames().forEachRemaining(fields::add);
                operations.add(new Operation(method, path.getKey(), List.copyOf(query), fields,
                        op.getValue().has("requestBody")));
            }
        }
        return operations;
    }

    boolean admin() {
        return template.startsWith("/v2/api-keys");
    }

    String label() {
        return method + " " + template;
    }

    /** The template with {@code segment} (already encoded) for its path parameter ({@code {id}}, {@code {name}}). */
    String path(String segment) {
        return template.replaceAll("\\{[^}]+}", Matcher.quoteReplacement(segment));
    }

    /** Encodes every byte but the unreserved ones, as a client that means well would: never a bad escape. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** A raw request; {@code contentType} null for none, {@code auth} null for no Authorization header. */
    static byte[] raw(String method, String target, String auth, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (auth != null) {
            headers.put("Authorization", auth);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return RawHttp.request(method, target, headers, body);
    }
}
