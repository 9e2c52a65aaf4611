package dev.git.webhooks.ops.search;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The creation times a list of deliveries covered: what was asked, or, when nothing narrowed the search (no owner,
 * endpoint, event, URL or {@code since}), the default window that the service applied ({@link #defaulted}).
 */
@Schema(description = "The creation times the list covers. A search across every owner with no owner, endpoint or "
        + "since covers only the 24 hours before until (before now without until): then since is that start and "
        + "defaulted is true; pass it as since (with the cursor) to keep the same window over the pages.")
public record Window(
        @Schema(example = "2026-11-24T10:15:30Z", nullable = true,
                description = "Deliveries created at or after this time; null: no lower bound.") Instant since,
        @Schema(example = "2026-11-25T10:15:30Z", nullable = true,
                description = "Deliveries created before this time; null: up to now.") Instant until,
        @Schema(example = "true", description = "Whether since is the service's default (24 hours back) rather "
                + "than asked.") boolean defaulted) {
}
