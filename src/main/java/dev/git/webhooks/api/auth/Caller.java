package dev.git.webhooks.api.auth;

import java.util.Set;

/** Who is calling: an owner's key with its scopes, or the admin key (owner {@code null}). */
public record Caller(String keyId, String owner, Set<Scope> scopes, int rateLimit) {

    public static final String ADMIN_KEY_ID = "admin";

    public boolean admin() {
        return owner == null;
    }
}
