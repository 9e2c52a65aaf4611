package dev.git.webhooks.ops.ownership;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.common.Ids;
import dev.git.webhooks.outbox.AttemptResult;

/**
 * The ownership challenge: a random value in an event-shaped body ({@code webhook.verification}), and what counts
 * as its answer. Like Slack's {@code url_verification}, a 2xx whose body is {@code {"challenge": "<the value>"}}
 * (or the value alone, as plain text) passes; anything else (another status, no echo, a wrong one, no answer within
 * the timeout) fails, with the reason kept on the endpoint.
 */
record Challenge(String id, String value, byte[] body) {

    static final String TYPE = "webhook.verification";

    static Challenge of(String owner, String endpointId, String url, Instant now, ObjectMapper json) {
        String id = Ids.newId("evt");
        String value = Ids.random(32);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", TYPE);
        payload.put("id", id);
        payload.put("timestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
        payload.put("owner", owner);
        payload.put("challenge", value);
        payload.put("data", Map.of("webhook_id", endpointId, "url", url));
        try {
            return new Challenge(id, value, json.writeValueAsBytes(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why {@code result} does not answer the challenge; empty when it does. */
    Optional<String> problem(AttemptResult result, ObjectMapper json) {
        if (result.status() == null) {
            return Optional.of(result.errorClass() + ": " + result.errorMessage());
        }
        if (result.status() < 200 || result.status() >= 300) {
            return Optional.of("http_status: answered HTTP " + result.status());
        }
        String body = result.responseBody() == null ? "" : result.responseBody().trim();
        if (body.equals(value) || value.equals(echo(body, json))) {
            return Optional.empty();
        }
        return Optional.of("no_echo: answered HTTP " + result.status() + " without {\"challenge\": \"<the value sent>\"}");
    }

    /**
     * The value of an answer that is {@code {"challenge": "…"}} and nothing else; null for any other answer. A server
     * that sends back whatever it receives (a debug route, a mirror) answers with the whole challenge event, whose
     * {@code challenge} field is there too: that is no proof that anyone who controls the URL asked for the events.
     */
    private static String echo(String body, ObjectMapper json) {
        try {
            JsonNode answer = json.readTree(body.getBytes(StandardCharsets.UTF_8));
            return answer != null && answer.isObject() && answer.size() == 1 && answer.path("challenge").isTextual()
                    ? answer.get("challenge").asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
