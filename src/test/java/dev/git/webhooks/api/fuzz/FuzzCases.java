package dev.git.webhooks.api.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.git.webhooks.testing.Api;

/**
 * Requests generated from the OpenAPI document: every operation, with its path id, query parameters, body fields,
 * content type, authorization and now and then its method or path replaced by hostile ones. Values are encoded as a
 * well-meaning client would (no bad escapes, no control bytes in headers): what the HTTP codec refuses before any
 * handler runs is proven separately (HttpEdgeTest) and is not what this fuzz is about.
 */
record FuzzCases(Random random, Fixtures fixtures, List<Operation> operations) {

    /**
     * One request to send, aimed at {@code operation} (its {@link Operation#label()}; null for the requests over the
     * API's limits, which no route sees); {@code head} when its answer has no body to check.
     */
    record Case(String operation, String label, byte[] raw, boolean head) {
    }

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
            "TRACE", "PROPFIND", "FOO");
    static final Map<String, String> PLAUSIBLE = Map.ofEntries(Map.entry("url", "\"http://127.0.0.1:9/f\""),
            Map.entry("events", "[\"*\"]"), Map.entry("repos", "null"), Map.entry("description", "\"d\""),
            Map.entry("active", "true"), Map.entry("secret", "null"), Map.entry("grace_period_seconds", "0"),
            Map.entry("status", "\"failed\""), Map.entry("since", "\"2025-01-20T14:35:22Z\""),
            Map.entry("until", "\"2030-01-20T14:35:22Z\""), Map.entry("dry_run", "true"),
            Map.entry("replay_failed", "false"), Map.entry("owner", "\"acme\""), Map.entry("name", "\"n\""),
            Map.entry("scopes", "[\"webhooks:read\"]"), Map.entry("plan", "\"free\""), Map.entry("rate_limit",
                    "null"));
    static final Map<String, String> PLAUSIBLE_QUERY = Map.of("limit", "10", "cursor", Hostile.cursor("v1:99"),
            "status", "failed", "event", "deploy.success", "since", "2025-01-20T14:35:22Z", "until",
            "2030-01-20T14:35:22Z", "owner", "acme");
    static final List<String> ODD_PATHS = List.of("/v2", "/v2/", "/v2/webhooks/", "//v2/webhooks", "/v2/WEBHOOKS",
            "/v2/webhooks;x=1", "/v2/%77ebhooks", "/v2/webhooks/%2e%2e/api-keys", "/v3/webhooks", "/q/nothing", "/",
            "/favicon.ico", "/v2/webhooks/x/ping/extra", "/v2/deliveries", "/v2/events", "/v2/replays",
            "/v2/webhooks/" + "a".repeat(1000), "/v2/webhooks/x//ping", "/v2/api-keys/", "/v2/webhooks/%20");

    List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cases.add(one(Hostile.pick(random, operations)));
        }
        return cases;
    }

    private Case one(Operation op) {
        String method = random.nextInt(10) == 0 ? Hostile.pick(random, METHODS) : op.method();
        String path = random.nextInt(25) == 0 ? Hostile.pick(random, ODD_PATHS)
                : op.path(random.nextInt(3) == 0 ? Operation.encode(Hostile.string(random))
                        : fixtures.realId(op.template(), random));
        String target = path + query(op);
        byte[] body = op.body() || random.nextInt(8) == 0 ? body(op) : null;
        String type = random.nextInt(7) == 0 ? Hostile.pick(random, Hostile.CONTENT_TYPES) : "application/json";
        String label = (method.equals(op.method()) ? "" : method + " on ") + op.label();
        return new Case(op.label(), label,
                Operation.raw(method, target, auth(op), type.isEmpty() ? null : type, body), method.equals("HEAD"));
    }

    private String query(Operation op) {
        StringBuilder query = new StringBuilder();
        for (String name : op.query()) {
            if (random.nextBoolean()) {
                String value = random.nextInt(5) < 3 ? PLAUSIBLE_QUERY.getOrDefault(name, "x") : Hostile.string(random);
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=').append(Operation.encode(value));
            }
        }
        if (random.nextInt(10) == 0) {
            query.append(query.isEmpty() ? '?' : '&').append(Operation.encode(Hostile.string(random))).append('=')
                    .append(Operation.encode(Hostile.string(random)));
        }
        return query.toString();
    }

    private byte[] body(Operation op) {
        if (random.nextInt(7) == 0) {
            return Hostile.pick(random, RouteCases.badBodies());
        }
        StringBuilder json = new StringBuilder("{");
        for (String field : op.fields()) {
            if (random.nextBoolean()) {
                String value = random.nextInt(5) < 2 ? PLAUSIBLE.getOrDefault(field, "null") : Hostile.jsonValue(random);
                json.append(json.length() > 1 ? "," : "").append(Hostile.quote(field)).append(':').append(value);
            }
        }
        if (random.nextInt(10) == 0) {
            json.append(json.length() > 1 ? "," : "").append(Hostile.quote(Hostile.string(random))).append(":1");
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The right key most of the time; otherwise none, a broken one or the wrong kind. */
    private String auth(Operation op) {
        String right = "Bearer " + (op.admin() ? Api.ADMIN_KEY
                : fixtures.owner(random).key());
        return switch (random.nextInt(16)) {
            case 0 -> null;
            case 1 -> Hostile.pick(random, List.of("Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "bearer",
                    "Bearer gdw_" + "x".repeat(10_000), "Bearer gdw_\u00e9\u00ff", "Bearer  " + right.substring(7),
                    "Token " + right.substring(7), "Bearer " + right.substring(7).toUpperCase()));
            case 2 -> "Bearer " + (op.admin() ? fixtures.owner(random).key() : Api.ADMIN_KEY);
            case 3 -> "bearer " + right.substring(7);
            default -> right;
        };
    }
}
