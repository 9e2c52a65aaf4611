package dev.git.webhooks.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.git.webhooks.api.FieldChecks;
import dev.git.webhooks.api.TimeRange;
import dev.git.webhooks.ops.request.ReplayFields;
import dev.git.webhooks.outbox.DeliveryStatus;
import dev.git.webhooks.subscription.EventTypes;

/**
 * Which deliveries of an endpoint: by status, event types and creation time. Builds the JPQL condition shared by
 * the list and by replays.
 */
public record DeliveryFilter(String status, List<String> events, Instant since, Instant until) {

    static final Set<String> STATUSES = Set.of(DeliveryStatus.PENDING.value(), DeliveryStatus.DELIVERED.value(),
            DeliveryStatus.FAILED.value(), DeliveryStatus.REPLAYED.value());
    /**
     * What a replay may copy. Not pending deliveries: they are still being retried, and a copy would deliver the
     * event twice. Not replayed ones: they were sent again already (their copies can be replayed).
     */
    static final Set<String> REPLAYABLE = Set.of(DeliveryStatus.FAILED.value(), DeliveryStatus.DELIVERED.value());

    /** Reads the filter of a deliveries list's query string; problems go to {@code checks}. */
    public static DeliveryFilter parse(String status, List<String> events, String since, String until,
            FieldChecks checks) {
        checks.check(status == null || STATUSES.contains(status), "status",
                "must be pending, delivered, failed or replayed");
        return read(status, events, "event", since, until, checks);
    }

    /**
     * Reads the filter of a replay body: the same, with a status that a replay may copy. The bodies' constraint
     * ({@link ReplayFields#REPLAYABLE}) refuses another status before this; the check stays for callers in code.
     */
    public static DeliveryFilter parseReplay(String status, List<String> events, String since, String until,
            FieldChecks checks) {
        checks.check(REPLAYABLE.contains(status), "status", ReplayFields.REPLAYABLE_RULE);
        TimeRange.refuseBlank(since, "since", checks);
        TimeRange.refuseBlank(until, "until", checks);
        return read(status, events, "events", since, until, checks);
    }

    /**
     * Event types' problems go under {@code eventsField}: the query's {@code event} (or {@code type} for events), a
     * body's {@code events}.
     */
    static DeliveryFilter read(String status, List<String> events, String eventsField, String since,
            String until, FieldChecks checks) {
        List<String> types = events == null ? List.of() : events.stream().filter(e -> !e.isBlank()).toList();
        for (String type : types) {
            checks.check(EventTypes.isSubscribable(type) || EventTypes.PING.equals(type), eventsField,
                    "has an unknown event type '" + type + "'");
        }
        TimeRange range = TimeRange.parse(since, until, checks);
        return new DeliveryFilter(status, types, range.since(), range.until());
    }

    /** The JPQL condition over {@code Delivery} for {@code endpointId = ?1}, and its parameters from ?2 on. */
    String where(List<Object> params) {
        StringBuilder where = new StringBuilder("endpointId = ?1");
        if (status != null) {
            params.add(status);
            where.append(" and status = ?").append(params.size());
        }
        if (!events.isEmpty()) {
            params.add(events);
            where.append(" and eventType in ?").append(params.size());
        }
        if (since != null) {
            params.add(since);
            where.append(" and createdAt >= ?").append(params.size());
        }
        if (until != null) {
            params.add(until);
            where.append(" and createdAt < ?").append(params.size());
        }
        return where.toString();
    }

    static List<Object> params(String endpointId) {
        List<Object> params = new ArrayList<>();
        params.add(endpointId);
        return params;
    }
}
