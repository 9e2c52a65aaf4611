package dev.git.webhooks.ops.health;

import java.time.Instant;
import java.util.List;

import dev.git.webhooks.ops.health.words.Ratio;
import dev.git.webhooks.outbox.ActivityViews.Activity;
import dev.git.webhooks.subscription.OwnershipCheck;
import dev.git.webhooks.subscription.WebhookEndpoint;

/**
 * An endpoint as the console shows it: what it is (description, URL, events, repositories), its switches, its
 * latest activity and the verdict drawn from them. Never its secret.
 */
public record EndpointStatus(String id, String owner, String url, String description, List<String> events,
        List<String> repos, String status, boolean active, String disabledReason, Instant failingSince,
        Instant createdAt, Instant updatedAt, String breaker, Activity activity, Verdict verdict, boolean unverified) {

    static EndpointStatus of(WebhookEndpoint e, String breaker, Activity activity, Instant now) {
        Verdict verdict = Verdict.of(new Verdict.Facts(e.status, e.active, e.disabledReason, e.failingSince, breaker,
                activity), now);
        return new EndpointStatus(e.id, e.owner, e.url, e.description, e.events, e.repos, e.status, e.active,
                e.disabledReason, e.failingSince, e.createdAt, e.updatedAt, breaker, activity, verdict,
                OwnershipCheck.unverified(e));
    }

    /** What people call it: its description, or its URL when it has none. */
    public String label() {
        return description == null || description.isBlank() ? url : description;
    }

    /** Whether new events are delivered to it now. */
    public boolean takesDeliveries() {
        return "enabled".equals(status) && active;
    }

    public boolean enabled() {
        return "enabled".equals(status);
    }

    /**
     * Whether enabling it can work now: it is not enabled, and no ownership check holds it back (such an endpoint is
     * enabled by the check, once its URL answers).
     */
    public boolean enablable() {
        return !enabled() && !unverified;
    }

    /** Whether the ownership check alone holds it back: it is enabled by the check once its URL answers. */
    public boolean enabledByItsCheck() {
        return unverified && "unverified".equals(disabledReason);
    }

    /** The success ratio of the last hour's attempts, exact ("99.5 % (2,500 of 2,511)"), or null. */
    public Ratio ratio() {
        return new Ratio(activity.successes(), activity.attempts());
    }

    /** The events it subscribes to, as one line. */
    public String eventList() {
        return events == null ? "" : String.join(", ", events);
    }
}
