package dev.git.webhooks.api.auth;

import java.util.Arrays;
import java.util.Optional;

/** The plan of an API key sets its rate limit. */
public enum Plan {
    FREE, PRO, ENTERPRISE;

    public String value() {
        return name().toLowerCase();
    }

    public static Optional<Plan> of(String value) {
        return Arrays.stream(values()).filter(p -> p.value().equals(value)).findFirst();
    }
}
