package dev.git.webhooks.api;

import java.util.List;
import java.util.Map;

import dev.git.webhooks.common.Refusal;

/**
 * A failure with a meaning for the client: it becomes the error envelope with this status and code. Anything else
 * thrown becomes a 500 {@code internal_error} without details.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final transient Map<String, Object> details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    /** A service's refusal as the envelope: 404, 409 or 503 with the refusal's code and message. */
    public static ApiException of(Refusal refusal) {
        int status = switch (refusal.reason()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
        };
        return new ApiException(status, refusal.code(), refusal.getMessage());
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "not_found", "No " + what + " with id '" + id + "'.");
    }

    public static ApiException invalid(List<FieldError> errors) {
        String message = errors.size() == 1
                ? "Invalid " + errors.get(0).field() + ": " + errors.get(0).message()
                : "The request has " + errors.size() + " invalid fields.";
        return new ApiException(400, "validation_failed", message, Map.of("fields", List.copyOf(errors)));
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
