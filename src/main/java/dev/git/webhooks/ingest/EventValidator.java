package dev.git.webhooks.ingest;

import java.io.IOException;
import java.nio.CharBuffer;
import java.time.Instant;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.git.webhooks.common.Names;
import dev.git.webhooks.subscription.EventTypes;

/**
 * Checks a Kafka record against the event contract (docs/events.md: UTF-8 JSON object within the size limit, with
 * {@code event} matching its topic, {@code id}, {@code timestamp}, {@code owner} and {@code data}). Plain logic: the verdict is either the event's fields,
 * or a reason code and message for the dead-letter topic. Whatever it accepts, PostgreSQL can store: the checks
 * here and the columns of {@code event} agree on every value (encoding, NUL, timestamp range).
 */
public final class EventValidator {

    /** Why a record was refused: {@code reason} is a stable code (docs/events.md), {@code message} says what to fix. */
    public record Rejection(String reason, String message) {
    }

    /** The fields of a valid event, and the whole event as parsed ({@code json}). */
    public record Envelope(String id, String type, String owner, String repo, Instant occurredAt, JsonNode json) {
    }

    /** Either the envelope of a valid record or the rejection of an invalid one. */
    public record Verdict(Envelope envelope, Rejection rejection) {
        public boolean valid() {
            return envelope != null;
        }
    }

    public static final String EMPTY = "empty";
    public static final String TOO_LARGE = "too_large";
    public static final String INVALID_ENCODING = "invalid_encoding";
    public static final String INVALID_JSON = "invalid_json";
    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_FIELD = "invalid_field";
    public static final String UNKNOWN_EVENT_TYPE = "unknown_event_type";
    public static final String TOPIC_MISMATCH = "topic_mismatch";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final int maxBytes;

    public EventValidator(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public Verdict validate(String topic, byte[] value) {
        if (value == null || value.length == 0) {
            return refuse(EMPTY, "The record has no value");
        }
        if (value.length > maxBytes) {
            return refuse(TOO_LARGE, "The record is " + value.length + " bytes; the limit is " + maxBytes);
        }
        Encoding.Decoded decoded = Encoding.decode(value);
        if (decoded.problem() != null) {
            return refuse(INVALID_ENCODING, decoded.problem());
        }
        JsonNode json = parse(decoded.text());
        if (json == null || !json.isObject()) {
            return refuse(INVALID_JSON, "The record value is not one JSON object (strict JSON, no duplicate keys)");
        }
        Rejection problem = check(topic, json);
        if (problem != null) {
            return new Verdict(null, problem);
        }
        return new Verdict(new Envelope(json.get("id").asText(), json.get("event").asText(),
                json.get("owner").asText(), json.hasNonNull("repo") ? json.get("repo").asText() : null,
                Rfc3339.parse(json.get("timestamp").asText()), json), null);
    }

    /** Parsed from characters, not bytes: no encoding guess can happen after the strict UTF-8 check. */
    private static JsonNode parse(CharBuffer text) {
        try (JsonParser parser = STRICT.createParser(text.array(), text.arrayOffset() + text.position(),
                text.remaining())) {
            return STRICT.readTree(parser);
        } catch (IOException | RuntimeException e) {
            return null; // malformed, too deep (over 1000 levels), numbers over 1000 digits…
        }
    }

    private static Rejection check(String topic, JsonNode json) {
        for (String field : new String[] {"event", "id", "timestamp", "owner", "data"}) {
            if (!json.hasNonNull(field)) {
                return new Rejection(MISSING_FIELD, "The required field '" + field + "' is missing or null");
            }
        }
        JsonNode event = json.get("event");
        if (!isText(event) || !EventTypes.isKnown(event.asText())) {
            return new Rejection(UNKNOWN_EVENT_TYPE, "'event' must be one of " + EventTypes.ALL);
        }
        if (!agrees(topic, event.asText())) {
            return new Rejection(TOPIC_MISMATCH,
                    "An event of type " + event.asText() + " does not belong on topic " + topic);
        }
        if (!isText(json.get("id")) || !ID.matcher(json.get("id").asText()).matches()) {
            return invalid("'id' must be 1-64 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
        if (!isText(json.get("timestamp")) || Rfc3339.parse(json.get("timestamp").asText()) == null) {
            return invalid("'timestamp' must be an RFC 3339 date-time (offset Z or ±hh:mm) between "
                    + "1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z");
        }
        if (!isText(json.get("owner")) || !Names.isOwner(json.get("owner").asText())) {
            return invalid("'owner' " + Names.OWNER_RULE);
        }
        JsonNode repo = json.get("repo");
        if (repo != null && !repo.isNull() && (!isText(repo) || !Names.isRepo(repo.asText()))) {
            return invalid("'repo' " + Names.REPO_RULE);
        }
        if (!json.get("data").isObject()) {
            return invalid("'data' must be an object");
        }
        return null;
    }

    /**
     * A string that may reach a text column: PostgreSQL refuses U+0000 in text, so a NUL (even written as the
     * escape backslash-u-0000) is refused here, whatever the field's own pattern says.
     */
    private static boolean isText(JsonNode node) {
        return node.isTextual() && node.asText().indexOf('\0') < 0;
    }

    private static Rejection invalid(String message) {
        return new Rejection(INVALID_FIELD, message);
    }

    private static Verdict refuse(String reason, String message) {
        return new Verdict(null, new Rejection(reason, message));
    }

    /** A topic agrees with an event type when it is named after it, alone or behind a prefix ("prod.repo.push"). */
    static boolean agrees(String topic, String type) {
        return topic.equals(type) || topic.endsWith("." + type);
    }
}
