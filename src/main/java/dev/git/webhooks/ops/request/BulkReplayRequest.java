package dev.git.webhooks.ops.request;

import java.util.List;

import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.git.webhooks.common.Names;

/**
 * {@code POST /v2/replays}: a replay over the endpoints of one owner; the filter as in {@link ReplayRequest}. The
 * annotations check what a field alone can tell; the resource checks whether the caller must name an owner or may
 * only name its own.
 */
@Schema(name = "BulkReplayRequest", description = "Which deliveries of an owner's endpoints to replay.")
public record BulkReplayRequest(
        @Pattern(regexp = Names.OWNER_PATTERN, message = Names.OWNER_RULE)
        @Schema(nullable = true, example = "acme",
                description = "Required with an operator's key; else the caller's own owner or absent.") String owner,
        @Schema(nullable = true, example = "[\"wh_2b9c1f0e\"]", description = "Only these endpoints; all when absent.")
        List<String> webhooks,
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

    public static final BulkReplayRequest DEFAULTS = new BulkReplayRequest(null, null, null, null, null, null, null);
}
