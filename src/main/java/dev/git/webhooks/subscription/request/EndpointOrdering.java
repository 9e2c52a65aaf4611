package dev.git.webhooks.subscription.request;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How an endpoint's deliveries are ordered: {@code "none"} (the default), or {@code {"key": …}}: deliveries with the
 * same key value are attempted one at a time, in the order of their events. The key is {@code owner}, {@code repo},
 * {@code event} (the type) or a JSON Pointer into the event ({@code /data/deployment_id}).
 */
@Schema(name = "EndpointOrdering", description = "\"none\", or {\"key\": owner | repo | event | a JSON Pointer}: "
        + "deliveries with the same key value go one at a time, in the order of their events.",
        example = "{\"key\": \"repo\"}")
public record EndpointOrdering(@Schema(example = "repo", required = true) String key) {

    public static final EndpointOrdering NONE = new EndpointOrdering(null);

    /** {@code "none"} or {@code {"key": …}}; anything else keeps what it can for the checks to name. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static EndpointOrdering of(Object value) {
        if ("none".equals(value)) {
            return NONE;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("key") instanceof String key) {
            return new EndpointOrdering(key);
        }
        return new EndpointOrdering("");
    }

    public boolean none() {
        return key == null;
    }

    @JsonValue
    public Object json() {
        return key == null ? "none" : Map.of("key", key);
    }
}
