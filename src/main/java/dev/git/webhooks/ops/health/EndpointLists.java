package dev.git.webhooks.ops.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.PageRequest;
import dev.git.webhooks.subscription.WebhookEndpoint;

/** Endpoints for the health views: by owner and state, newest first; and the worst ones for the overview. */
@ApplicationScoped
public class EndpointLists {

    /** {@code failing}: enabled, but every attempt fails since {@code failing_since}; {@code inactive}: switched off. */
    public static final Set<String> STATES = Set.of("enabled", "disabled", "auto_disabled", "failing", "inactive");

    public static void checkState(String state, FieldChecks checks) {
        checks.check(state == null || state.isBlank() || STATES.contains(state), "state",
                "must be enabled, disabled, auto_disabled, failing or inactive");
    }

    @Transactional
    public List<WebhookEndpoint> list(String owner, String state, PageRequest page) {
        List<Object> params = new ArrayList<>();
        params.add(page.before());
        StringBuilder where = new StringBuilder("seq < ?1");
        if (owner != null) {
            params.add(owner);
            where.append(" and owner = ?").append(params.size());
        }
        if (state != null && !state.isBlank()) {
            where.append(switch (state) {
                case "failing" -> " and status = 'enabled' and failingSince is not null";
                case "inactive" -> " and active = false";
                default -> {
                    params.add(state);
                    yield " and status = ?" + params.size();
                }
            });
        }
        return WebhookEndpoint.<WebhookEndpoint>find(where + " order by seq desc", params.toArray())
                .page(0, page.fetchSize()).list();
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
