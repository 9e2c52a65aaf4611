package dev.git.webhooks.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The one error body of the API: {@code {"error":{"code","message","status","details":{"request_id",…}}}}. */
public record ErrorEnvelope(Error error) {

    public static final String INTERNAL_ERROR = "Something went wrong on our side. Quote the request id if you "
            + "contact us.";
    public static final String SEND_JSON = "Send the request body as application/json (UTF-8).";

    @Schema(name = "ErrorBody")
    public record Error(
            @Schema(required = true, description = "Stable, machine-readable: validation_failed, not_found, "
                    + "rate_limited, …", example = "validation_failed") String code,
            @Schema(required = true, description = "For people; may change.") String message,
            @Schema(required = true, example = "400") int status,
            @Schema(required = true, implementation = Details.class) Map<String, Object> details) {
    }

    /** What {@code details} always holds ({@code request_id}) and, for invalid fields, {@code fields}. */
    @Schema(name = "ErrorDetails", additionalProperties = Schema.True.class)
    public record Details(
            @Schema(required = true, description = "Also in the X-Request-Id header.", example = "req_5f2b7c9d1e3a")
            String requestId,
            @Schema(description = "validation_failed only: each invalid field, by its JSON name.")
            List<FieldError> fields) {
    }

    public static ErrorEnvelope of(int status, String code, String message, Map<String, Object> details,
            String requestId) {
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("request_id", requestId);
        return new ErrorEnvelope(new Error(code, message, status, all));
    }

    public static Response response(int status, String code, String message, Map<String, Object> details,
            String requestId) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(of(status, code, message, details, requestId))
                .build();
    }

    /** The code of an error that has no more specific one: by status, else its reason phrase in snake case. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 500 -> "internal_error";
            default -> reason(status).toLowerCase().replace("-", "").replace(' ', '_');
        };
    }

    /** The reason phrase of a status ("Request Timeout"), or "Request refused" for one that has none. */
    public static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "Request refused" : known.getReasonPhrase();
    }
}
