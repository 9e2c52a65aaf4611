package dev.git.webhooks.subscription;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.common.Names;
import dev.git.webhooks.subscription.request.EndpointFilter;
import dev.git.webhooks.subscription.request.EndpointHeader;

/**
 * The stored form of an endpoint's static headers and filter (SPEC §12; columns {@code headers} and {@code filter},
 * JSON), their checks, and what ingest and delivery read of them. Stored: headers as
 * {@code [{"name", "value"} | {"name", "sealed", "key_id"}]}, the filter as
 * {@code {"repo": [...], "match": [{"pointer", "values": [...]}]}}.
 */
public final class DeliveryControls {

    public static final int MAX_HEADERS = 10;
    static final int MAX_HEADER_NAME = 64;
    static final int MAX_HEADER_VALUE = 1024;
    static final int MAX_MATCHES = 10;
    static final int MAX_VALUES = 20;
    static final int MAX_REPOS = 100;

    /**
     * Names the service sets, or that would change how the request is framed or routed (lower case); besides these,
     * every {@code content-*} name (they describe the body, which is the event's: SPEC §12's content headers).
     */
    private static final Set<String> RESERVED = Set.of("digest", "repr-digest", "want-digest", "transfer-encoding",
            "host", "connection", "keep-alive", "upgrade", "te", "trailer", "expect",
            "proxy-authorization", "proxy-connection", "max-forwards", "via", "forwarded", "user-agent", "x-signature-256", "x-hub-signature", "x-hub-signature-256",
            "traceparent", "tracestate");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A header to send: its name and value (opened, if it was sealed). */
    public record Header(String name, String value) {
    }

    /** Opens a sealed value: (ciphertext, key id) → plain text. */
    public interface Opener extends BiFunction<byte[], String, String> {
    }

    private DeliveryControls() {
    }

    // ---- headers ----

    /** Checks the headers a request gives, naming the field {@code headers}; null is none. */
    static void check(List<EndpointHeader> headers, FieldChecks checks) {
        if (headers == null) {
            return;
        }
        checks.check(headers.size() <= MAX_HEADERS, "headers", "must list at most " + MAX_HEADERS + " headers");
        Set<String> seen = new java.util.HashSet<>();
        for (EndpointHeader header : headers) {
            String problem = problem(header);
            if (problem == null && !seen.add(header.name().toLowerCase(Locale.ROOT))) {
                problem = "has '" + header.name() + "' twice";
            }
            if (problem != null) {
                checks.add("headers", problem);
                return;
            }
        }
    }

    private static String problem(EndpointHeader header) {
        if (header == null || header.name() == null) {
            return "has a header without a name";
        }
        String name = header.name();
        if (name.isEmpty() || name.length() > MAX_HEADER_NAME || !name.chars().allMatch(DeliveryControls::isToken)) {
            return "has the name '" + shown(name) + "', which is not a header name (1 to "
                    + MAX_HEADER_NAME + " letters, digits or !#$%&'*+-.^_`|~)";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("webhook-") || lower.startsWith("x-webhook-") || lower.startsWith("content-")
                || RESERVED.contains(lower)) {
            return "has '" + name + "', which the service sets or which frames the request: choose another name";
        }
        String value = header.value();
        if (value == null) {
            return "has '" + name + "' without a value";
        }
        if (value.length() > MAX_HEADER_VALUE || !value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
            return "has a value for '" + name + "' that is not 0 to " + MAX_HEADER_VALUE
                    + " printable ASCII characters";
        }
        return null;
    }

    private static boolean isToken(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~"
                .indexOf(c) >= 0;
    }

    /** The stored form of checked headers, secret values sealed by {@code seal}; null for none. */
    static String store(List<EndpointHeader> headers, java.util.function.Function<String, SecretCipher.Sealed> seal) {
        if (headers == null || headers.isEmpty()) {
            return null;
        }
        ArrayNode stored = JSON.createArrayNode();
        for (EndpointHeader header : headers) {
            ObjectNode node = stored.addObject().put("name", header.name());
            if (header.isSecret()) {
                SecretCipher.Sealed sealed = seal.apply(header.value());
                node.put("sealed", Base64.getEncoder().encodeToString(sealed.ciphertext())).put("key_id",
                        sealed.keyId());
            } else {
                node.put("value", header.value());
            }
        }
        return stored.toString();
    }

    /** The headers as the endpoint's view shows them: secret values left out. */
    public static List<EndpointHeader> view(String stored) {
        if (stored == null) {
            return null;
        }
        List<EndpointHeader> view = new ArrayList<>();
        for (JsonNode node : parse(stored)) {
            boolean secret = node.has("sealed");
            view.add(new EndpointHeader(node.path("name").asText(), secret ? null : node.path("value").asText(),
                    secret ? Boolean.TRUE : null));
        }
        return view;
    }

    /** The headers to send, secret values opened by {@code open}; the names of the secret ones in {@code secret}. */
    public static List<Header> toSend(String stored, Opener open, Set<String> secret) {
        List<Header> headers = new ArrayList<>();
        for (JsonNode node : parse(stored)) {
            String name = node.path("name").asText();
            if (node.has("sealed")) {
                secret.add(name);
                headers.add(new Header(name, open.apply(Base64.getDecoder().decode(node.path("sealed").asText()),
                        node.path("key_id").asText())));
            } else {
                headers.add(new Header(name, node.path("value").asText()));
            }
        }
        return headers;
    }

    // ---- filter ----

    /** Checks a request's filter, naming the field {@code filter}; {@code owner}'s repositories only. */
    static void check(EndpointFilter filter, String owner, FieldChecks checks) {
        if (filter == null) {
            return;
        }
        if (filter.repo() != null) {
            checks.check(!filter.repo().isEmpty() && filter.repo().size() <= MAX_REPOS, "filter.repo",
                    "must list 1 to " + MAX_REPOS + " repositories, or be left out");
            for (String repo : filter.repo()) {
                if (repo == null || !Names.isRepo(repo)) {
                    checks.add("filter.repo", "has '" + shown(String.valueOf(repo)) + "', which "
                            + Names.REPO_RULE);
                } else {
                    checks.check(Names.ownerOfRepo(repo).equals(owner), "filter.repo",
                            "has '" + repo + "', which does not belong to " + owner);
                }
            }
        }
        if (filter.match() != null) {
            checks.check(!filter.match().isEmpty() && filter.match().size() <= MAX_MATCHES, "filter.match",
                    "must list 1 to " + MAX_MATCHES + " conditions, or be left out");
            for (EndpointFilter.Match match : filter.match()) {
                String problem = problem(match);
                if (problem != null) {
                    checks.add("filter.match", problem);
                    break;
                }
            }
        }
        checks.check(filter.repo() != null || filter.match() != null, "filter",
                "must have repo or match (or be null for no filter)");
    }

    private static String problem(EndpointFilter.Match match) {
        if (match == null || match.pointer() == null) {
            return "has a condition without a pointer";
        }
        try {
            if (!match.pointer().startsWith("/")) {
                throw new IllegalArgumentException();
            }
            JsonPointer.compile(match.pointer());
        } catch (IllegalArgumentException e) {
            return "has the pointer '" + shown(match.pointer()) + "', which is not a JSON Pointer "
                    + "(RFC 6901, such as /data/environment)";
        }
        if (match.values() == null || match.values().isEmpty() || match.values().size() > MAX_VALUES) {
            return "has '" + match.pointer() + "' with no values or more than " + MAX_VALUES;
        }
        for (Object value : match.values()) {
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                return "has a value for '" + match.pointer() + "' that is not a string, number or boolean";
            }
        }
        return null;
    }

    /** The stored form of a checked filter; null for none. */
    static String store(EndpointFilter filter) {
        return filter == null ? null : JSON.valueToTree(filter).toString();
    }

    /** The filter as the endpoint's view shows it. */
    public static EndpointFilter filterView(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return JSON.readValue(stored, EndpointFilter.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stored filter, ready to test events against. */
    public static final class Filter {

        private final Set<String> repos;
        private final List<JsonPointer> pointers = new ArrayList<>();
        private final List<List<JsonNode>> values = new ArrayList<>();

        private Filter(JsonNode stored) {
            JsonNode repo = stored.path("repo");
            Set<String> names = null;
            if (repo.isArray()) {
                names = new java.util.HashSet<>();
                for (JsonNode name : repo) {
                    names.add(name.asText());
                }
            }
            this.repos = names;
            for (JsonNode match : stored.path("match")) {
                pointers.add(JsonPointer.compile(match.path("pointer").asText()));
                List<JsonNode> allowed = new ArrayList<>();
                match.path("values").forEach(allowed::add);
                values.add(allowed);
            }
        }

        /** The filter stored as {@code stored}, or null for none. */
        public static Filter of(String stored) {
            return stored == null ? null : new Filter(parse(stored));
        }

        /** Whether pointer conditions need the event's JSON (else {@link #matches} does not read it). */
        public boolean readsPayload() {
            return !pointers.isEmpty();
        }

        /** Whether an event of {@code repo} (may be null) whose JSON is {@code event} (null unless needed) passes. */
        public boolean matches(String repo, JsonNode event) {
            if (repos != null && (repo == null || !repos.contains(repo))) {
                return false;
            }
            for (int i = 0; i < pointers.size(); i++) {
                JsonNode found = event == null ? null : event.at(pointers.get(i));
                if (found == null || found.isMissingNode() || values.get(i).stream().noneMatch(v -> same(v, found))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean same(JsonNode expected, JsonNode found) {
            if (expected.isNumber() && found.isNumber()) {
                // a number past a double's range (1e400) is read as an infinity, which is no decimal: it equals none
                return finite(expected) && finite(found)
                        && new BigDecimal(expected.asText()).compareTo(new BigDecimal(found.asText())) == 0;
            }
            return expected.equals(found);
        }

        private static boolean finite(JsonNode number) {
            return !number.isFloatingPointNumber() || Double.isFinite(number.doubleValue());
        }
    }

    /** An ordering key, and the value it takes for an event. */
    public static final class OrderKey {

        /** The longest key value kept as it is (at most 800 bytes of UTF-8). */
        static final int LONGEST_VALUE = 200;

        private final String key;
        private final JsonPointer pointer;

        private OrderKey(String key) {
            this.key = key;
            this.pointer = key.startsWith("/") ? JsonPointer.compile(key) : null;
        }

        /** The endpoint's ordering key (stored as given: owner, repo, event or a pointer), or null for none. */
        public static OrderKey of(String stored) {
            return stored == null ? null : new OrderKey(stored);
        }

        static java.util.Optional<String> problem(String key) {
            boolean ok = key != null && (Set.of("owner", "repo", "event").contains(key) || pointer(key));
            return ok ? java.util.Optional.empty() : java.util.Optional.of("must be \"none\" or {\"key\": k}, where k "
                    + "is owner, repo, event or a JSON Pointer into the event (such as /data/deployment_id)");
        }

        private static boolean pointer(String key) {
            try {
                return key.startsWith("/") && key.length() <= 200 && JsonPointer.compile(key) != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        /** Whether its value needs the event's JSON. */
        public boolean readsPayload() {
            return pointer != null;
        }

        /**
         * The key's value for an event (an absent value is a key of its own, the empty one): a string as it is, any
         * other JSON value as its JSON text; one longer than {@link #LONGEST_VALUE} characters as its SHA-256, since
         * keys are only compared and PostgreSQL's index on them refuses an entry over 2,704 bytes (the whole event
         * was refused then, for every endpoint of its owner).
         */
        public String valueFor(String owner, String repo, String type, JsonNode event) {
            String value = switch (key) {
                case "owner" -> owner;
                case "repo" -> repo == null ? "" : repo;
                case "event" -> type;
                default -> {
                    JsonNode found = event == null ? null : event.at(pointer);
                    yield found == null || found.isMissingNode() ? "" : found.isTextual() ? found.asText()
                            : found.toString();
                }
            };
            return value.length() <= LONGEST_VALUE ? value : "sha256:" + sha256(value);
        }

        private static String sha256(String value) {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The event's JSON, for filters with pointer conditions; null if it does not parse (it was validated). */
    public static JsonNode event(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }

    /** A value of the caller's, shown back in an error: printable ASCII, at most 100 characters. */
    private static String shown(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(100).forEach(c -> shown.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return value.length() > 100 ? shown + "…" : shown.toString();
    }

    private static JsonNode parse(String stored) {
        try {
            return JSON.readTree(stored);
        } catch (IOException e) {
            throw new UncheckedIOException("Stored delivery controls do not parse", e);
        }
    }
}
