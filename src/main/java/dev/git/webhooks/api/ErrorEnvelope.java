package dev.git.webhooks.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error body of the API: {@code {"error":{"code","message","status","details":{"request_id",…}}}}. */
public record ErrorEnvelope(Error error) {

    public record Error(String code, String message, int status, Map<String, Object> details) {
    }

    public static Response response(int status, String code, String message, Map<String, Object> details,
            String requestId) {
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("request_id", requestId);
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorEnvelope(new Error(code, message, status, all)))
                .build();
    }
}
