package dev.git.webhooks.subscription;

import java.util.List;

/**
 * The event types that producers publish, the system types that the service itself produces (operational
 * notifications), and the wildcard of a subscription. {@code ["*"]} means the platform types: system
 * types are subscribed to by name, so that no existing receiver gets types it never asked for.
 */
public final class EventTypes {

    public static final List<String> ALL = List.of("repo.push", "deploy.success", "deploy.failed", "pr.merged");
    public static final String ENDPOINT_DISABLED = "endpoint.disabled";
    public static final String ENDPOINT_ENABLED = "endpoint.enabled";
    public static final String DELIVERY_EXHAUSTED = "delivery.exhausted";
    public static final List<String> SYSTEM = List.of(ENDPOINT_DISABLED, ENDPOINT_ENABLED, DELIVERY_EXHAUSTED);
    public static final String WILDCARD = "*";
    public static final String PING = "ping";

    private EventTypes() {
    }

    /** A platform type, which producers may publish. */
    public static boolean isKnown(String type) {
        return ALL.contains(type);
    }

    public static boolean isSystem(String type) {
        return SYSTEM.contains(type);
    }

    /** A type that an endpoint may list in its {@code events}. */
    public static boolean isSubscribable(String type) {
        return isKnown(type) || isSystem(type);
    }
}
