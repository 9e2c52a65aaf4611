package dev.git.webhooks.delivery.auth;

/**
 * Why no token could be had from an endpoint's token endpoint, in words for the attempt log (error class
 * {@code auth}). Never carries the client secret.
 */
public final class TokenFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenFailure(String message) {
        super(message, null, false, false);
    }
}
