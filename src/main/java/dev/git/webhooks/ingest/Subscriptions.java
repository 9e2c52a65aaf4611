package dev.git.webhooks.ingest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import dev.git.webhooks.outbox.Columns;
import dev.git.webhooks.outbox.DeliveryJob;
import dev.git.webhooks.subscription.EventTypes;

/**
 * Which endpoints take an event: its owner's enabled endpoints whose types (or "*") and repository filter, when they
 * have one, match it.
 */
public final class Subscriptions {

    /** An endpoint that takes events, and where its deliveries go. */
    record Subscriber(String id, String owner, List<String> events, List<String> repos, DeliveryJob.Target target) {

        boolean takes(IncomingEvent event) {
            return owner.equals(event.owner()) && matches(events, repos, event.type(), event.repo());
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
     * Locked in id order, so that two batches never wait on each other.
     */
    static List<Subscriber> lockedFor(Connection connection, Collection<String> owners) throws SQLException {
        List<Subscriber> subscribers = new ArrayList<>();
        if (owners.isEmpty()) {
            return subscribers;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                select id, owner, events, repos, url, secret_ciphertext, secret_key_id, previous_secret_ciphertext,
                       previous_secret_key_id, previous_secret_expires_at, bucket
                from webhook_endpoint where owner = any (?) and status = 'enabled' and active
                order by id
                for share""")) {
            select.setArray(1, Columns.texts(connection, owners));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Timestamp previousExpires = rows.getTimestamp(10);
                    subscribers.add(new Subscriber(rows.getString(1), rows.getString(2), strings(rows.getArray(3)),
                            rows.getArray(4) == null ? null : strings(rows.getArray(4)),
                            new DeliveryJob.Target(rows.getString(1), rows.getInt(11), rows.getString(5),
                                    rows.getBytes(6),
                                    rows.getString(7), rows.getBytes(8), rows.getString(9),
                                    previousExpires == null ? null : previousExpires.toInstant())));
                }
            }
        }
        return subscribers;
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
