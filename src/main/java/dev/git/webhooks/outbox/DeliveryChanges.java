package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * Changes to deliveries outside the hot path, on behalf of other features: failing the pending deliveries of an
 * endpoint that stopped, deleting those of a deleted endpoint, marking failed deliveries {@code replayed}, and the
 * retention purge. Methods that take a {@link Connection} run in the caller's transaction.
 */
@ApplicationScoped
public class DeliveryChanges {

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final Event<DeliveriesFailed> failed;

    public DeliveryChanges(DataSource dataSource, OutboxConfig config, Event<DeliveriesFailed> failed) {
        this.dataSource = dataSource;
        this.config = config;
        this.failed = failed;
    }

    /**
     * Fails the pending deliveries of endpoints that stopped taking deliveries, whoever holds them (their claims
     * end here, so an instance that holds one cannot record it afterwards); they stay listed and replayable, and
     * are announced in the caller's transaction ({@link DeliveriesFailed}).
     */
    public int failPending(Connection connection, Collection<String> endpointIds, String reason, Instant now)
            throws SQLException {
        if (endpointIds.isEmpty()) {
            return 0;
        }
        List<String> ids = RowLocks.where(connection, """
                endpoint_id = any (?) and status = 'pending' and (next_attempt_at is not null or created_at >= ?)""",
                lock -> {
                    lock.setArray(1, Columns.texts(connection, endpointIds));
                    lock.setTimestamp(2, Timestamp.from(now.minus(config.freshHorizon()).minus(config.heartbeat())));
                });
        if (ids.isEmpty()) {
            return 0;
        }
        List<String> stopped = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("""
                update delivery set status = 'failed', next_attempt_at = null, claim = '-', completed_at = ?,
                    last_error = ?
                where id = any (?) and status = 'pending'
                returning id""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, reason);
            update.setArray(3, Columns.texts(connection, ids));
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    stopped.add(rows.getString(1));
                }
            }
        }
        if (!stopped.isEmpty()) {
            failed.fire(new DeliveriesFailed(stopped));
        }
        return stopped.size();
    }

    /** {@link #failPending(Connection, Collection, String, Instant)} in a transaction of its own. */
    @Transactional
    public int failPending(Collection<String> endpointIds, String reason, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            return failPending(connection, endpointIds, reason, now);
        } catch (SQLException e) {
            throw new OutboxException("failing the pending deliveries of " + endpointIds + " failed", e);
        }
    }

    /** Removes an endpoint's deliveries and their attempts (the endpoint is being deleted). */
    public void deleteForEndpoint(Connection connection, String endpointId) throws SQLException {
        try (PreparedStatement attempts = connection.prepareStatement("""
                delete from delivery_attempt where delivery_id in (select id from delivery where endpoint_id = ?)""");
                PreparedStatement deliveries = connection.prepareStatement(
                        "delete from delivery where endpoint_id = ?")) {
            RowLocks.where(connection, "endpoint_id = ?", lock -> lock.setString(1, endpointId));
            attempts.setString(1, endpointId);
            attempts.executeUpdate();
            deliveries.setString(1, endpointId);
            deliveries.executeUpdate();
        }
    }

    /** Queued deliveries of an endpoint that cannot take them (open breaker) become due when it may. */
    @Transactional
    public int postpone(String endpointId, Instant until) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update delivery set next_attempt_at = ?
                        where id = any (?) and next_attempt_at < ? and claim is null""")) {
            List<String> ids = RowLocks.where(connection, "next_attempt_at < ? and endpoint_id = ? and claim is null",
                    lock -> {
                        lock.setTimestamp(1, Timestamp.from(until));
                        lock.setString(2, endpointId);
                    });
            update.setTimestamp(1, Timestamp.from(until));
            update.setArray(2, Columns.texts(connection, ids));
            update.setTimestamp(3, Timestamp.from(until));
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("postponing the deliveries of " + endpointId + " failed", e);
        }
    }

    /** {@code failed} → {@code replayed}, linked to its copy; answers the originals it changed (copy → original). */
    /**
     * "Try now": a pending delivery waiting in the queue for its next retry becomes due now, and its endpoint's owner
     * is told at the commit. Answers false when it is not waiting (being attempted, or due already): nothing changes,
     * so no second attempt is ever made of it.
     */
    public boolean tryNow(Connection connection, String deliveryId, String endpointId, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update delivery set next_attempt_at = ?
                where id = ? and status = 'pending' and claim is null and next_attempt_at > ?""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, deliveryId);
            update.setTimestamp(3, Timestamp.from(now));
            if (update.executeUpdate() == 0) {
                return false;
            }
        }
        Signals.due(connection, List.of(endpointId));
        return true;
    }

    public Set<String> markReplayed(Connection connection, List<NewDelivery> copies) throws SQLException {
        Set<String> marked = new HashSet<>();
        if (copies.isEmpty()) {
            return marked;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                update delivery d set status = 'replayed', replayed_by = u.copy
                from unnest(?::text[], ?::text[]) as u(original, copy)
                where d.id = u.original and d.status = 'failed'
                returning d.id""")) {
            RowLocks.byId(connection, copies.stream().map(NewDelivery::redeliveryOf).toList());
            new Columns(connection, update).text(copies, NewDelivery::redeliveryOf).text(copies, NewDelivery::id);
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    marked.add(rows.getString(1));
                }
            }
        }
        return marked;
    }

    /**
     * Deletes up to {@code limit} settled deliveries, with their attempts, in the caller's transaction: delivered ones
     * completed before {@code cutoff}, failed and replayed ones before {@code failedCutoff}; answers how many.
     */
    public int purge(Instant cutoff, Instant failedCutoff, int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("""
                        with gone as (delete from delivery where id = any (?)
                            and status in ('delivered', 'failed', 'replayed') returning id),
                        attempts as (delete from delivery_attempt where delivery_id in (select id from gone))
                        select count(*) from gone""")) {
            List<String> ids = RowLocks.where(connection, """
                    id in (select id from delivery
                           where created_at < greatest(?::timestamptz, ?::timestamptz)
                             and ((status = 'delivered' and completed_at < ?)
                                  or (status in ('failed', 'replayed') and completed_at < ?))
                           limit ?)""", lock -> {
                lock.setTimestamp(1, Timestamp.from(cutoff));
                lock.setTimestamp(2, Timestamp.from(failedCutoff));
                lock.setTimestamp(3, Timestamp.from(cutoff));
                lock.setTimestamp(4, Timestamp.from(failedCutoff));
                lock.setInt(5, limit);
            });
            delete.setArray(1, Columns.texts(connection, ids));
            try (ResultSet row = delete.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new OutboxException("purging deliveries failed", e);
        }
    }
}
