package dev.git.webhooks.api.auth;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.git.webhooks.common.Names;

/**
 * {@code POST /v2/api-keys}. The annotations check each field alone; {@link ApiKeyResource} checks how they fit
 * together (an operator's key has {@code ops:} scopes and no owner; {@code rate_limit} only on enterprise keys).
 */
@Schema(name = "CreateApiKey", description = "A key for an owner (its scopes) or for an operator (ops: scopes).")
public record CreateApiKey(
        @Pattern(regexp = Names.OWNER_PATTERN, message = Names.OWNER_RULE)
        @Schema(nullable = true, description = "The owner the key acts for; absent on an operator's key.",
                example = "acme") String owner,
        @Size(max = 100, message = "must be at most 100 characters")
        @Schema(nullable = true, maxLength = 100, example = "CI deploys") String name,
        @NotNull(message = SCOPES) @Size(min = 1, message = SCOPES)
        @Schema(required = true, example = "[\"webhooks:read\", \"webhooks:write\"]") List<String> scopes,
        @Pattern(regexp = "^(free|pro|enterprise)$", message = "must be free, pro or enterprise")
        @Schema(nullable = true, enumeration = { "free", "pro", "enterprise" }, defaultValue = "free") String plan,
        @Positive(message = "must be at least 1 request a minute")
        @Schema(nullable = true, description = "Requests a minute (enterprise keys only); the plan's by default.",
                example = "2000") Integer rateLimit) {

    static final String SCOPES = "must list at least one of webhooks:read, webhooks:write, deliveries:read, "
            + "deliveries:replay (an owner's key) or ops:read, ops:replay (an operator's key)";
}
