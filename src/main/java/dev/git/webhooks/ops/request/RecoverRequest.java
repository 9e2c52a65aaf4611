package dev.git.webhooks.ops.request;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /v2/webhooks/{id}/recover}: the window of events to recover. */
@Schema(name = "RecoverRequest", description = "Events received in [since, until) that the endpoint missed, and its "
        + "failed deliveries of them.")
public record RecoverRequest(
        @Schema(required = true, format = "date-time", example = "2025-01-20T14:35:22Z",
                description = "Events received at or after this time.") String since,
        @Schema(nullable = true, format = "date-time", example = "2025-01-21T00:00:00Z",
                description = "Events received before this time; absent: now.") String until) {
}
