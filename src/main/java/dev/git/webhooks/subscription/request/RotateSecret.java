package dev.git.webhooks.subscription.request;

import jakarta.validation.constraints.PositiveOrZero;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /v2/webhooks/{id}/rotate-secret}; no body at all rotates to a generated secret. */
@Schema(name = "RotateSecret", description = "A new signing secret; the old one keeps signing for the grace period.")
public record RotateSecret(
        @PositiveOrZero(message = "must be a whole number of seconds from 0 to the maximum grace period")
        @Schema(nullable = true, description = "How long the old secret keeps signing too (default 86400, a day; "
                + "0 stops it at once).", example = "3600") Long gracePeriodSeconds,
        @Schema(nullable = true, description = "The new secret (whsec_ + base64 of 24-64 bytes), so that a receiver "
                + "can trust it before the switch; generated when absent.") String secret) {

    public static final RotateSecret DEFAULTS = new RotateSecret(null, null);
}
