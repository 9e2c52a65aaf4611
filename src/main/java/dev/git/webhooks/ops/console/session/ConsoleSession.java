package dev.git.webhooks.ops.console.session;

import jakarta.enterprise.context.RequestScoped;

import dev.git.webhooks.api.auth.Caller;

/** The console request's signed-in key and the CSRF token its forms carry. */
@RequestScoped
public class ConsoleSession {

    private Caller caller;
    private String nonce;
    private String csrf;

    public void signIn(Caller caller, String nonce, String csrf) {
        this.caller = caller;
        this.nonce = nonce;
        this.csrf = csrf;
    }

    public Caller caller() {
        return caller;
    }

    public String csrf() {
        return csrf;
    }

    public String nonce() {
        return nonce;
    }

    /** Whether a form's CSRF token is this session's. */
    public boolean csrfMatches(String token) {
        return csrf != null && token != null && java.security.MessageDigest.isEqual(
                csrf.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Who is signed in, as the pages say it: an owner, or "operator". Never any part of the key. */
    public String who() {
        return caller.operator() ? "operator" : caller.owner();
    }
}
