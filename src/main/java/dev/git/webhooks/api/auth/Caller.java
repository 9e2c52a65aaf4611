package dev.git.webhooks.api.auth;

import java.util.Set;

/**
 * Who is calling: an owner's key with its scopes, an operator's key (no owner, {@code ops:} scopes, every owner's
 * resources), or the admin key (manages keys only).
 */
public record Caller(String keyId, String owner, Set<Scope> scopes, int rateLimit) {

    public static final String ADMIN_KEY_ID = "admin";

    public boolean admin() {
        return ADMIN_KEY_ID.equals(keyId);
    }

    public boolean operator() {
        return owner == null && !admin();
    }
}
