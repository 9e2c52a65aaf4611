package dev.git.webhooks.ops.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.subscription.WebhookEndpoint;

/** Endpoints for the health views: by owner and state, newest first; and the worst ones for the overview. */
@ApplicationScoped
public class EndpointLists {

    /**
     * {@code failing}: enabled and not paused (as {@link Verdict} badges it), but every attempt fails since
     * {@code failing_since}; {@code inactive}: paused.
     */
    public static final Set<String> STATES = Set.of("enabled", "disabled", "auto_disabled", "failing", "inactive");

    public static void checkState(String state, FieldChecks checks) {
        checks.check(state == null || state.isBlank() || STATES.contains(state), "state",
                "must be enabled, disabled, auto_disabled, failing or inactive");
    }

    @Transactional
    public List<WebhookEndpoint> list(String owner, String state, PageRequest page) {
        return list(owner, state, TimeRange.ANY, page);
    }

    /** Endpoints newest first, of one owner (null: every owner's), in a state, created in {@code created}. */
    @Transactional
    public List<WebhookEndpoint> list(String owner, String state, TimeRange created, PageRequest page) {
        List<Object> params = new ArrayList<>();
        params.add(page.before());
        StringBuilder where = new StringBuilder("seq < ?1");
        if (owner != null) {
            params.add(owner);
            where.append(" and owner = ?").append(params.size());
        }
        if (state != null && !state.isBlank()) {
            where.append(switch (state) {
                case "failing" -> " and status = 'enabled' and active = true and failingSince is not null"; // as badged
                case "inactive" -> " and active = false";
                default -> {
                    params.add(state);
                    yield " and status = ?" + params.size();
                }
            });
        }
        if (created.since() != null) {
            params.add(created.since());
            where.append(" and createdAt >= ?").append(params.size());
        }
        if (created.until() != null) {
            params.add(created.until());
            where.append(" and createdAt < ?").append(params.size());
        }
        return WebhookEndpoint.<WebhookEndpoint>find(where + " order by seq desc", params.toArray())
                .page(0, page.fetchSize()).list();
    }

    /**
     * What a page calls an endpoint, by id: its description (or URL) and URL; {@code takes}: it takes deliveries now
     * (enabled and not paused), so that a redelivery to it can be sent.
     */
    public record Label(String name, String url, boolean takes) {
    }

    /** The labels of these endpoints (ids of deleted endpoints are left out). */
    @Transactional
    public java.util.Map<String, Label> labels(java.util.Collection<String> ids) {
        java.util.Map<String, Label> labels = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            WebhookEndpoint.<WebhookEndpoint>list("id in ?1", List.copyOf(new java.util.HashSet<>(ids)))
                    .forEach(e -> labels.put(e.id, new Label(e.description == null || e.description.isBlank()
                            ? e.url : e.description, e.url, WebhookEndpoint.ENABLED.equals(e.status) && e.active)));
        }
        return labels;
    }

    /** An owner's endpoints whose URL contains {@code text} (every owner's when null), newest first, at most 100. */
    @Transactional
    public List<String> withUrl(String owner, String text) {
        String like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        var found = owner == null
                ? WebhookEndpoint.<WebhookEndpoint>find("url like ?1 order by seq desc", like)
                : WebhookEndpoint.<WebhookEndpoint>find("owner = ?1 and url like ?2 order by seq desc", owner, like);
        return found.page(0, 100).list().stream().map(e -> e.id).toList();
    }

    /** An owner's endpoints for a filter's choices, newest first, at most 100. */
    @Transactional
    public List<WebhookEndpoint> choices(String owner) {
        return WebhookEndpoint.<WebhookEndpoint>find("owner = ?1 order by seq desc", owner).page(0, 100).list();
    }

    /** Endpoints failing longest first, then those switched off: the ones an operator looks at first. */
    @Transactional
    public List<WebhookEndpoint> worst(String owner, int limit) {
        String trouble = "(failingSince is not null or status <> 'enabled')";
        String order = " order by case when failingSince is null then 1 else 0 end, failingSince, updatedAt desc";
        var found = owner == null ? WebhookEndpoint.<WebhookEndpoint>find(trouble + order)
                : WebhookEndpoint.<WebhookEndpoint>find("owner = ?1 and " + trouble + order, owner);
        return found.page(0, limit).list();
    }
}
