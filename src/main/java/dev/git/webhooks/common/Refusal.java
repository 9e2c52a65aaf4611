package dev.git.webhooks.common;

/**
 * What a service answers when it cannot do what was asked, in its own terms: the thing does not exist, its state
 * does not allow it, or a part it needs is away. The HTTP edge turns it into the error envelope (404, 409, 503); the
 * services name no status.
 */
public final class Refusal extends RuntimeException {

    /** Why the service refused. */
    public enum Reason {
        NOT_FOUND, CONFLICT, UNAVAILABLE
    }

    private final Reason reason;
    private final String code;

    private Refusal(Reason reason, String code, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.code = code;
    }

    public static Refusal notFound(String what, String id) {
        return new Refusal(Reason.NOT_FOUND, "not_found", "No " + what + " with id '" + id + "'.");
    }

    public static Refusal conflict(String message) {
        return new Refusal(Reason.CONFLICT, "conflict", message);
    }

    /** A part the service needs did not answer ({@code code} says which, e.g. {@code kafka_unavailable}). */
    public static Refusal unavailable(String code, String message) {
        return new Refusal(Reason.UNAVAILABLE, code, message);
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return code;
    }
}
