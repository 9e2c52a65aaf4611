package dev.git.webhooks.api.auth;

import java.util.Map;

import jakarta.enterprise.context.RequestScoped;

import dev.git.webhooks.api.ApiException;

/** The authenticated caller of the current request, and its rate-limit standing. */
@RequestScoped
public class CallerContext {

    private Caller caller;
    private RateLimitDecision rate;

    void set(Caller caller, RateLimitDecision rate) {
        this.caller = caller;
        this.rate = rate;
    }

    public Caller caller() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        return caller;
    }

    /** The owner whose resources this request may touch. */
    public String owner() {
        String owner = caller().owner();
        if (owner == null) {
            throw new ApiException(403, "forbidden",
                    "The admin key manages API keys only; use an owner's API key for this route.");
        }
        return owner;
    }

    /** Refuses the request unless the caller's key has {@code scope}. */
    public void require(Scope scope) {
        if (!caller().scopes().contains(scope)) {
            throw insufficientScope(scope);
        }
    }

    static ApiException insufficientScope(Scope scope) {
        return new ApiException(403, "insufficient_scope", "This API key lacks the scope " + scope.value() + ".",
                Map.of("required_scope", scope.value()));
    }

    RateLimitDecision rate() {
        return rate;
    }
}
