package dev.git.webhooks.ops.console;

import java.util.Map;

import io.quarkus.qute.TemplateData;

/**
 * What every console page shows around its content: the title, the section in the navigation, who is signed in,
 * the CSRF token for its forms, what the signed-in key may do (so that a page offers only actions that can work),
 * and a notice after an action.
 */
@TemplateData
public record Chrome(String title, String section, String who, boolean operator, String csrf, Can can,
        String notice) {

    /**
     * What the signed-in key may do: {@code edit} an owner's endpoints (create, change, ping, rotate; never an
     * operator), {@code enable} and disable them, {@code replay} (redeliver, replay, cancel, redrive, discard).
     */
    @TemplateData
    public record Can(boolean edit, boolean enable, boolean replay) {

        public static final Can NOTHING = new Can(false, false, false);
    }

    /**
     * Notices after an action, by code: a redirect names a code (and at most a count, {@code disabled:2510}),
     * never free text, so that a link cannot make the console say something it did not.
     */
    public static final Map<String, String> NOTICES = Map.ofEntries(
            Map.entry("redelivered", "Redelivery queued: a new delivery was created."),
            Map.entry("tried-now", "Its next attempt is due now (unless one was already under way); reload the "
                    + "page for its outcome."),
            Map.entry("enabled", "The endpoint is enabled again."),
            Map.entry("disabled", "The endpoint is disabled; %s failed and can be replayed once it is enabled."),
            Map.entry("resumed", "The endpoint is resumed: new events are delivered to it again."),
            Map.entry("created", "The endpoint is created and takes deliveries now. Send it a ping to check it."),
            Map.entry("created-checking", "The endpoint is created. A signed challenge is on its way to it: it "
                    + "gets events once it answers (the events received meanwhile are then delivered)."),
            Map.entry("updated", "The endpoint is saved."),
            Map.entry("checking-ownership", "A signed challenge is on its way: the endpoint gets events again once it "
                    + "answers (the events received meanwhile are then delivered)."),
            Map.entry("rotated", "The new secret signs from now on; the old one also signs until its grace period ends."),
            Map.entry("pinged", "Ping sent: this is its delivery."),
            Map.entry("replaying", "Replay started."),
            Map.entry("recovering", "Recover started: what the endpoint missed is delivered to it, once each."),
            Map.entry("cancelled", "Replay cancelled: the copies made so far are still sent."),
            Map.entry("redriven", "The dead letter was published back to its source topic."),
            Map.entry("discarded", "The dead letter was discarded."),
            Map.entry("signed-out", "You are signed out."),
            Map.entry("expired", "Your session ended; sign in again."));

    /** The text of a notice code, with its count filled in; null for an unknown code. */
    public static String notice(String code) {
        if (code == null) {
            return null;
        }
        String[] parts = code.split(":", 2);
        String text = NOTICES.get(parts[0]);
        if (text == null || !text.contains("%s")) {
            return text;
        }
        long n = parts.length == 2 && parts[1].matches("\\d{1,9}") ? Long.parseLong(parts[1]) : 0;
        return text.formatted(dev.git.webhooks.ops.health.words.Counts.of(n, "pending delivery", "pending deliveries"));
    }

    public boolean signedIn() {
        return who != null;
    }

    public boolean active(String name) {
        return name.equals(section);
    }
}
