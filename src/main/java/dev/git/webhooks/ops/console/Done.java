package dev.git.webhooks.ops.console;

import java.net.URI;

/**
 * What a console action did: where the browser goes next (a 303 to the page that shows the result), the status the
 * same action answers through the API, and what it did in words. The audit log records the status and the words,
 * not the redirect: "succeeded 303" said nothing about what happened.
 */
public record Done(URI next, int status, String outcome) {

    /** Done at once (the API answers 200). */
    public static Done ok(String next, String outcome) {
        return new Done(URI.create(next), 200, outcome);
    }

    /** Accepted: work was queued (a replay, a redelivery, a ping; the API answers 202). */
    public static Done accepted(String next, String outcome) {
        return new Done(URI.create(next), 202, outcome);
    }

    /** Created (the API answers 201). */
    public static Done created(String next, String outcome) {
        return new Done(URI.create(next), 201, outcome);
    }
}
