package dev.git.webhooks.subscription;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * The health columns of endpoints: since when one has failed every attempt, and {@code auto_disabled} once that
 * lasted too long ({@code failing}) or it answered 410 ({@code gone}). Disabling fires
 * {@link WebhookEndpoints.Stopped}, in the same transaction, like a customer's switch-off.
 */
@ApplicationScoped
public class EndpointHealth {

    private final DataSource dataSource;
    private final Event<WebhookEndpoints.Stopped> stopped;

    public EndpointHealth(DataSource dataSource, Event<WebhookEndpoints.Stopped> stopped) {
        this.dataSource = dataSource;
        this.stopped = stopped;
    }

    /**
     * Records a batch of results: {@code healthy} endpoints are no longer failing, {@code failing} ones are (since
     * {@code now} if not before), and are disabled if they have been since {@code failingCutoff}; {@code gone} ones
     * are disabled at once. Answers the endpoints disabled.
     */
    @Transactional
    public List<String> record(Collection<String> healthy, Collection<String> failing, Collection<String> gone,
            Instant now, Instant failingCutoff) {
        try (Connection connection = dataSource.getConnection()) {
            if (!lockThoseToChange(connection, healthy, failing, gone, failingCutoff)) {
                return List.of(); // the usual case: healthy endpoints that were healthy, failing ones already marked
            }
            update(connection, """
                    update webhook_endpoint set failing_since = null
                    where id = any (?) and failing_since is not null""", healthy, null);
            update(connection, """
                    update webhook_endpoint set failing_since = ?
                    where id = any (?) and failing_since is null and status = 'enabled'""", failing, now);
            List<String> disabled = new ArrayList<>(disable(connection, failing, "failing", now, failingCutoff));
            disabled.addAll(disable(connection, gone, "gone", now, null));
            for (String id : disabled) {
                stopped.fire(new WebhookEndpoints.Stopped(id, "endpoint_disabled"));
            }
            return disabled;
        } catch (SQLException e) {
            throw new IllegalStateException("recording the health of endpoints failed", e);
        }
    }

    /**
     * Locks, in id order (the order ingest reads endpoints in, so no deadlock), the endpoints whose health this batch
     * changes, and only those: a lock is a write, and most batches change nothing. Answers whether there are any.
     */
    private static boolean lockThoseToChange(Connection connection, Collection<String> healthy,
            Collection<String> failing, Collection<String> gone, Instant failingCutoff) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("""
                select id from webhook_endpoint
                where (id = any (?) and failing_since is not null)
                   or (id = any (?) and status = 'enabled' and (failing_since is null or failing_since <= ?))
                   or (id = any (?) and status = 'enabled')
                order by id for no key update""")) {
            lock.setArray(1, connection.createArrayOf("text", healthy.toArray()));
            lock.setArray(2, connection.createArrayOf("text", failing.toArray()));
            lock.setTimestamp(3, Timestamp.from(failingCutoff));
            lock.setArray(4, connection.createArrayOf("text", gone.toArray()));
            try (ResultSet rows = lock.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void update(Connection connection, String sql, Collection<String> ids, Instant now)
            throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            int i = 1;
            if (now != null) {
                update.setTimestamp(i++, Timestamp.from(now));
            }
            update.setArray(i, connection.createArrayOf("text", ids.toArray()));
            update.executeUpdate();
        }
    }

    private static List<String> disable(Connection connection, Collection<String> endpoints, String reason,
            Instant now, Instant failingCutoff) throws SQLException {
        List<String> disabled = new ArrayList<>();
        if (endpoints.isEmpty()) {
            return disabled;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                update webhook_endpoint set status = 'auto_disabled', disabled_reason = ?, updated_at = ?,
                    version = version + 1
                where id = any (?) and status = 'enabled' and (?::timestamptz is null or failing_since <= ?)
                returning id""")) {
            update.setString(1, reason);
            update.setTimestamp(2, Timestamp.from(now));
            update.setArray(3, connection.createArrayOf("text", endpoints.toArray()));
            Timestamp cutoff = failingCutoff == null ? null : Timestamp.from(failingCutoff);
            update.setTimestamp(4, cutoff);
            update.setTimestamp(5, cutoff);
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    disabled.add(rows.getString(1));
                }
            }
        }
        return disabled;
    }
}
