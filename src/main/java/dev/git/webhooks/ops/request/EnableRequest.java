package dev.git.webhooks.ops.request;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /v2/webhooks/{id}/enable}; no body at all only enables. Its one field needs no constraint (Jackson's
 * strict types refuse anything but a boolean), but the resource validates it like every body, so that a field with
 * a constraint is checked once it is added.
 */
@Schema(name = "EnableRequest")
public record EnableRequest(
        @Schema(nullable = true, defaultValue = "false",
                description = "Also replay the endpoint's failed deliveries (needs deliveries:replay).")
        Boolean replayFailed,
        @Schema(nullable = true, format = "date-time", example = "2025-01-20T14:35:22Z", description = "Also recover "
                + "from this time on: the events the endpoint missed and its failed deliveries (as POST …/recover; "
                + "needs deliveries:replay).") String recoverSince) {

    /** Only {@code replay_failed}. */
    public EnableRequest(Boolean replayFailed) {
        this(replayFailed, null);
    }

    public boolean replay() {
        return Boolean.TRUE.equals(replayFailed);
    }
}
