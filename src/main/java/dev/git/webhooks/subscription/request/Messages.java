package dev.git.webhooks.subscription.request;

/** Limits and messages of the webhook request bodies, shared by their constraints and the service's checks. */
final class Messages {

    static final String REQUIRED = "is required";
    static final String SOME_EVENTS = "must list at least one event type, or [\"*\"]";
    static final int MAX_REPOS = 100;
    static final String AT_MOST_REPOS = "must list at most " + MAX_REPOS + " repositories";
    static final int MAX_DESCRIPTION = 500;
    static final String AT_MOST_DESCRIPTION = "must be at most " + MAX_DESCRIPTION + " characters";

    private Messages() {
    }
}
