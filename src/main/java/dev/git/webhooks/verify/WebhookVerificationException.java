package dev.git.webhooks.verify;

/** A delivery that did not verify; {@link #reason()} says why, the message says what to check. */
public class WebhookVerificationException extends Exception {

    /** Why a delivery was refused. */
    public enum Reason {
        /** A signature header is absent. */
        MISSING_HEADER,
        /** A header is present but not in the expected format. */
        MALFORMED_HEADER,
        /** No signature matches the body with any of the secrets. */
        SIGNATURE_MISMATCH,
        /** {@code webhook-timestamp} is further from now than the tolerance (a replayed or delayed request). */
        TIMESTAMP_OUT_OF_TOLERANCE
    }

    private final Reason reason;

    public WebhookVerificationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
