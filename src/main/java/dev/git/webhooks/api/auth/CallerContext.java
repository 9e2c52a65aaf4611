package dev.git.webhooks.api.auth;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.RequestScoped;

import dev.git.webhooks.api.ApiException;

/** The authenticated caller of the current request, and its rate-limit standing. */
@RequestScoped
public class CallerContext {

    private Caller caller;
    private RateLimitDecision rate;

    /** Signs the request in: the API filter here, the console's session filter for its pages. */
    public void set(Caller caller, RateLimitDecision rate) {
        this.caller = caller;
        this.rate = rate;
    }

    /** Whether a key signed this request in (false on public routes and before authentication). */
    public boolean signedIn() {
        return caller != null;
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
            throw notForThisKey(caller());
        }
        return owner;
    }

    public boolean operator() {
        return caller().operator();
    }

    /**
     * The owner of resource {@code id} as this caller may reach it: an owner's key reaches its own only (a
     * resource of another owner then answers 404 in the owner-scoped lookup that follows); an operator's key
     * reaches every owner's, so the resource's own owner is looked up, and an unknown id is a 404 here.
     */
    public String ownerOf(String id, Function<String, Optional<String>> lookup, String what) {
        if (!caller().operator()) {
            return owner();
        }
        return lookup.apply(id).orElseThrow(() -> ApiException.notFound(what, id));
    }

    /** Which owner a list shows: an owner's key always its own; an operator's key the one asked for, or all (null). */
    public String ownerFilter(String requested) {
        return caller().operator() ? (requested == null || requested.isBlank() ? null : requested) : owner();
    }

    /** Refuses the caller unless its key may use a route that needs {@code scope} (or {@code operator} for ops keys). */
    public static void authorize(Caller caller, Scope scope, Scope... operator) {
        if (caller.admin()) {
            throw notForThisKey(caller);
        }
        if (caller.operator()) {
            if (operator.length == 0) {
                throw new ApiException(403, "forbidden",
                        "Operator keys read and replay; changing a webhook needs its owner's API key.");
            }
            if (!caller.scopes().contains(operator[0])) {
                throw insufficientScope(operator[0]);
            }
        } else if (!caller.scopes().contains(scope)) {
            throw insufficientScope(scope);
        }
    }

    private static ApiException notForThisKey(Caller caller) {
        return new ApiException(403, "forbidden", caller.admin()
                ? "The admin key manages API keys only; use an owner's or an operator's API key for this route."
                : "Operator keys read and replay; changing a webhook needs its owner's API key.");
    }

    /** Refuses the request unless the caller's key has {@code scope} (an operator's key: {@code operator}). */
    public void require(Scope scope, Scope... operator) {
        authorize(caller(), scope, operator);
    }

    static ApiException insufficientScope(Scope scope) {
        return new ApiException(403, "insufficient_scope", "This API key lacks the scope " + scope.value() + ".",
                Map.of("required_scope", scope.value()));
    }

    RateLimitDecision rate() {
        return rate;
    }
}
