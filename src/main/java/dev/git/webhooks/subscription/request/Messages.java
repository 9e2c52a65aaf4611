package dev.git.webhooks.subscription.request;

/** Limits and messages of the webhook request bodies, shared by their constraints and the service's checks. */
final class Messages {

    static final String REQUIRED = "is required";
    static final String SOME_EVENTS = "must list at least one event type, or [\"*\"]";
    static final int MAX_REPOS = 100;
    static final String SOME_REPOS = "must list 1 to " + MAX_REPOS + " repositories, or be null for every repository";
    static final int MAX_DESCRIPTION = 500;
    static final String AT_MOST_DESCRIPTION = "must be at most " + MAX_DESCRIPTION + " characters";

    static final String CONCURRENCY = "must be a whole number from 1 to 64";
    static final int MAX_RATE = 10_000;
    static final String RATE = "must be a whole number of deliveries a second from 1 to " + MAX_RATE;
    static final int MAX_HEADERS = 10;
    static final String AT_MOST_HEADERS = "must list at most " + MAX_HEADERS + " headers";

    private Messages() {
    }
    static final String SCHEMES = "must list v1, v1a or both";
}
