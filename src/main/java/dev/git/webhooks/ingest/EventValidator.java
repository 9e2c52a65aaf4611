package dev.git.webhooks.ingest;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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
 * Checks a Kafka record against the event contract (SPEC section 1). Plain logic: the verdict is either the
 * event's fields, or a reason code and message for the dead-letter topic.
 */
public final class EventValidator {

    /** Why a record was refused: {@code reason} is a stable code, {@code message} says what to fix. */
    public record Rejection(String reason, String message) {
    }

    /** The fields of a valid event. */
    public record Envelope(String id, String type, String owner, String repo, Instant occurredAt) {
    }

    /** Either the envelope of a valid record or the rejection of an invalid one. */
    public record Verdict(Envelope envelope, Rejection rejection) {
        public boolean valid() {
            return envelope != null;
        }
    }

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
        Rejection problem;
        Envelope envelope = null;
        if (value == null || value.length == 0) {
            problem = new Rejection("empty", "The record has no value");
        } else if (value.length > maxBytes) {
            problem = new Rejection("too_large", "The record is " + value.length + " bytes; the limit is " + maxBytes);
        } else {
            JsonNode json;
            try (JsonParser parser = STRICT.createParser(value)) {
                json = STRICT.readTree(parser);
            } catch (IOException e) {
                json = null;
            }
            if (json == null || !json.isObject()) {
                problem = new Rejection("invalid_json", "The record value is not a UTF-8 JSON object");
            } else {
                problem = check(topic, json);
                if (problem == null) {
                    envelope = new Envelope(json.get("id").asText(), json.get("event").asText(),
                            json.get("owner").asText(), json.hasNonNull("repo") ? json.get("repo").asText() : null,
                            parseTime(json.get("timestamp").asText()));
                }
            }
        }
        return new Verdict(envelope, problem);
    }

    private static Rejection check(String topic, JsonNode json) {
        for (String field : new String[] {"event", "id", "timestamp", "owner", "data"}) {
            if (!json.hasNonNull(field)) {
                return new Rejection("missing_field", "The required field '" + field + "' is missing");
            }
        }
        JsonNode event = json.get("event");
        if (!event.isTextual() || !EventTypes.isKnown(event.asText())) {
            return new Rejection("unknown_event_type", "'event' must be one of " + EventTypes.ALL);
        }
        if (!agrees(topic, event.asText())) {
            return new Rejection("topic_mismatch",
                    "An event of type " + event.asText() + " does not belong on topic " + topic);
        }
        if (!json.get("id").isTextual() || !ID.matcher(json.get("id").asText()).matches()) {
            return new Rejection("invalid_field", "'id' must be 1-64 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
        if (!json.get("timestamp").isTextual() || !isRfc3339(json.get("timestamp").asText())) {
            return new Rejection("invalid_field", "'timestamp' must be an RFC 3339 date-time");
        }
        if (!json.get("owner").isTextual() || !Names.isOwner(json.get("owner").asText())) {
            return new Rejection("invalid_field", "'owner' " + Names.OWNER_RULE);
        }
        JsonNode repo = json.get("repo");
        if (repo != null && !repo.isNull() && (!repo.isTextual() || !Names.isRepo(repo.asText()))) {
            return new Rejection("invalid_field", "'repo' " + Names.REPO_RULE);
        }
        if (!json.get("data").isObject()) {
            return new Rejection("invalid_field", "'data' must be an object");
        }
        return null;
    }

    /** A topic agrees with an event type when it is named after it, alone or behind a prefix ("prod.repo.push"). */
    static boolean agrees(String topic, String type) {
        return topic.equals(type) || topic.endsWith("." + type);
    }

    private static boolean isRfc3339(String value) {
        if (!value.contains("T") && !value.contains("t")) {
            return false;
        }
        try {
            parseTime(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Instant parseTime(String value) {
        return OffsetDateTime.parse(value.toUpperCase()).toInstant();
    }
}
