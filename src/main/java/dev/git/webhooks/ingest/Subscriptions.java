package dev.git.webhooks.ingest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import dev.git.webhooks.outbox.Columns;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.subscription.DeliveryControls;
import dev.git.webhooks.subscription.EventTypes;

/**
 * Which endpoints take an event: its owner's enabled endpoints whose types (or "*"), repositories and filter (SPEC §12),
 * when they have them, match it.
 */
public final class Subscriptions {

    /** An endpoint that takes events, its filter (null: none), and where its deliveries go. */
    record Subscriber(String id, String owner, List<String> events, List<String> repos,
            DeliveryControls.Filter filter, DeliveryJob.Target target, DeliveryControls.OrderKey orderKey) {

        /** Whether it takes {@code event}; {@code json} gives the event's JSON, read once, if a filter needs it. */
        boolean takes(IncomingEvent event, Supplier<JsonNode> json) {
            return owner.equals(event.owner()) && matches(events, repos, event.type(), event.repo())
                    && (filter == null || filter.matches(event.repo(), filter.readsPayload() ? json.get() : null));
        }
    }

    private Subscriptions() {
    }

    public static boolean matches(List<String> events, List<String> repos, String type, String repo) {
        boolean typeMatches = events.contains(EventTypes.WILDCARD) || events.contains(type);
        boolean repoMatches = repos == null || (repo != null && repos.contains(repo));
        return typeMatches && repoMatches;
    }

    /**
     * The endpoints that take the batch's events, locked {@code for share} until the batch commits: an endpoint being
     * switched off (its row locked for update, see {@code EndpointStops}) is waited for and then left out, and one
     * switched off after this read waits for the batch and then fails its new deliveries with the others. Without the
     * lock, a snapshot taken just before a switch-off left pending rows that went out, old, once it was switched on.
     * The owners' switched-off endpoints are locked too: one being enabled is waited for and then taken, and an enable
     * after this read waits for the batch, so that the recover it may start reads the batch's events (which have no
     * delivery to it) as committed. Locked in id order, so that two batches never wait on each other.
     */
    static List<Subscriber> lockedFor(Connection connection, Collection<String> owners) throws SQLException {
        List<Subscriber> subscribers = new ArrayList<>();
        if (owners.isEmpty()) {
            return subscribers;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                select w.owner, w.events, w.repos, w.filter, w.status = 'enabled' and w.active,                 """ + DeliveryJob.Target.columns("w") + """

                from webhook_endpoint w where w.owner = any (?)
                order by w.id
                for share""")) {
            select.setArray(1, Columns.texts(connection, owners));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (!rows.getBoolean(5)) {
                        continue; // switched off: locked only
                    }
                    DeliveryJob.Target target = DeliveryJob.Target.read(rows, 6);
                    subscribers.add(new Subscriber(target.endpointId(), rows.getString(1), strings(rows.getArray(2)),
                            rows.getArray(3) == null ? null : strings(rows.getArray(3)),
                            DeliveryControls.Filter.of(rows.getString(4)), target,
                            DeliveryControls.OrderKey.of(target.ordering())));
                }
            }
        }
        return subscribers;
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
