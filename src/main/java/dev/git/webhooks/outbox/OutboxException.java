package dev.git.webhooks.outbox;

/** The outbox could not be read or written; the caller retries, nothing is lost. */
public class OutboxException extends RuntimeException {

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
