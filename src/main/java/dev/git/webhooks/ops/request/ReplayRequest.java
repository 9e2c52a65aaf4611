package dev.git.webhooks.ops.request;

import java.util.List;

import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /v2/webhooks/{id}/replay}; no body at all replays every failed delivery. The annotation checks the
 * status; event types and times are checked by the delivery filter, which the deliveries list shares (and which
 * checks the status again for callers in code).
 */
@Schema(name = "ReplayRequest", description = "Which deliveries of the endpoint to replay.")
public record ReplayRequest(
        @Pattern(regexp = ReplayFields.REPLAYABLE, message = ReplayFields.REPLAYABLE_RULE)
        @Schema(nullable = true, enumeration = { "failed", "delivered" }, defaultValue = "failed",
                description = "Failed or delivered deliveries: pending ones are still being retried, replayed ones "
                        + "were sent again already.") String status,
        @Schema(nullable = true, format = "date-time", example = "2025-01-20T14:35:22Z",
                description = "Deliveries created at or after this time.") String since,
        @Schema(nullable = true, format = "date-time", example = "2025-01-21T00:00:00Z",
                description = "Deliveries created before this time.") String until,
        @Schema(nullable = true, example = "[\"deploy.failed\"]", description = "Only these event types.")
        List<String> events,
        @Schema(nullable = true, defaultValue = "false", description = "Only count what would be replayed.")
        Boolean dryRun) implements ReplayFields {

    public static final ReplayRequest DEFAULTS = new ReplayRequest(null, null, null, null, null);
}
