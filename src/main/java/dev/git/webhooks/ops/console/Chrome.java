package dev.git.webhooks.ops.console;

import java.util.Map;

import io.quarkus.qute.TemplateData;

/**
 * What every console page shows around its content: the title, the section in the navigation, who is signed in,
 * the CSRF token for its forms, a notice after an action, and (for live progress) how often it reloads itself.
 */
@TemplateData
public record Chrome(String title, String section, String who, boolean operator, String csrf, String notice,
        int refreshSeconds) {

    /** Notices after an action, by code: a redirect names a code, never free text. */
    public static final Map<String, String> NOTICES = Map.ofEntries(
            Map.entry("redelivered", "Redelivery queued: a new delivery was created."),
            Map.entry("enabled", "The endpoint is enabled again."),
            Map.entry("disabled", "The endpoint is disabled; its pending deliveries failed and can be replayed."),
            Map.entry("replaying", "Replay started."),
            Map.entry("cancelled", "Replay cancelled."),
            Map.entry("redriven", "The dead letter was published back to its source topic."),
            Map.entry("discarded", "The dead letter was discarded."),
            Map.entry("signed-out", "You are signed out."),
            Map.entry("expired", "Your session ended; sign in again."));

    public boolean signedIn() {
        return who != null;
    }

    public boolean active(String name) {
        return name.equals(section);
    }
}
