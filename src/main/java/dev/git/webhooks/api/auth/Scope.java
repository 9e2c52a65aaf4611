package dev.git.webhooks.api.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an API key may do. An owner's key carries the first four; an operator's key (no owner) the two {@code ops:}
 * scopes, which reach every owner's resources.
 */
public enum Scope {
    WEBHOOKS_READ("webhooks:read"),
    WEBHOOKS_WRITE("webhooks:write"),
    DELIVERIES_READ("deliveries:read"),
    DELIVERIES_REPLAY("deliveries:replay"),
    OPS_READ("ops:read"),
    OPS_REPLAY("ops:replay");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** {@code ops:read} and {@code ops:replay}: the scopes of operator keys. */
    public boolean operator() {
        return this == OPS_READ || this == OPS_REPLAY;
    }

    public static Optional<Scope> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
