package dev.git.webhooks.api.auth;

import java.util.Arrays;
import java.util.Optional;

/** What an owner's API key may do. */
public enum Scope {
    WEBHOOKS_READ("webhooks:read"),
    WEBHOOKS_WRITE("webhooks:write"),
    DELIVERIES_READ("deliveries:read"),
    DELIVERIES_REPLAY("deliveries:replay");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<Scope> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
