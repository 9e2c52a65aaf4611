package dev.git.webhooks.subscription.address;

/** A URL or an address that a webhook may not reach; {@link #reason()} is a short code such as {@code private}. */
public class DestinationRefusedException extends Exception {

    private final String reason;

    public DestinationRefusedException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
