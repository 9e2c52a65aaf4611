package dev.git.webhooks.ingest;

import java.util.List;

import dev.git.webhooks.subscription.EventTypes;

/** Whether an endpoint wants an event: its type (or "*"), and its repository filter when it has one. */
public final class Subscriptions {

    private Subscriptions() {
    }

    public static boolean matches(List<String> events, List<String> repos, String type, String repo) {
        boolean typeMatches = events.contains(EventTypes.WILDCARD) || events.contains(type);
        boolean repoMatches = repos == null || (repo != null && repos.contains(repo));
        return typeMatches && repoMatches;
    }
}
