package dev.git.webhooks.subscription;

import java.util.List;

/** The event types that producers publish, and the wildcard of a subscription. */
public final class EventTypes {

    public static final List<String> ALL = List.of("repo.push", "deploy.success", "deploy.failed", "pr.merged");
    public static final String WILDCARD = "*";
    public static final String PING = "ping";

    private EventTypes() {
    }

    public static boolean isKnown(String type) {
        return ALL.contains(type);
    }
}
