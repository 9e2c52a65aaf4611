package dev.git.webhooks.delivery.store;

import java.sql.Array;
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
import jakarta.transaction.Transactional;

import dev.git.webhooks.delivery.DeliveryJob;

/**
 * The outbox in PostgreSQL, in plain JDBC for the hot path: batch inserts, the {@code FOR UPDATE SKIP LOCKED}
 * claim that leases due rows to this instance, and releases. Every method runs in the caller's transaction or its
 * own.
 */
@ApplicationScoped
public class OutboxStore {

    /** A delivery to insert: leased to this instance until {@code leaseUntil}, due then if this instance dies. */
    public record NewDelivery(String id, String eventId, String endpointId, String owner, String eventType,
            Instant createdAt, Instant leaseUntil, String redeliveryOf, String replayId) {
    }

    /** A claimed delivery handed back unsent: due again at {@code at}, no attempt counted. */
    public record Release(String deliveryId, Instant at) {
    }

    private static final String CLAIM = """
            with due as (
                select d.id from delivery d
                join webhook_endpoint w on w.id = d.endpoint_id
                where d.status = 'pending' and d.next_attempt_at <= ?
                  and w.status = 'enabled' and w.active
                  and not (d.endpoint_id = any (?))
                order by d.next_attempt_at
                limit ?
                for update of d skip locked
            )
            update delivery d set next_attempt_at = ?
            from due, event e, webhook_endpoint w
            where d.id = due.id and e.id = d.event_id and w.id = d.endpoint_id
            returning d.id, d.event_id, d.event_type, e.payload, d.attempts, w.id, w.url, w.secret_ciphertext,
                      w.secret_key_id, w.previous_secret_ciphertext, w.previous_secret_key_id,
                      w.previous_secret_expires_at
            """;

    private final DataSource dataSource;

    public OutboxStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Leases up to {@code limit} due deliveries to this instance, skipping rows other instances hold. */
    @Transactional
    public List<DeliveryJob> claim(Instant now, Instant leaseUntil, int limit, Collection<String> excluded) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement(CLAIM)) {
            claim.setTimestamp(1, Timestamp.from(now));
            claim.setArray(2, connection.createArrayOf("text", excluded.toArray()));
            claim.setInt(3, limit);
            claim.setTimestamp(4, Timestamp.from(leaseUntil));
            List<DeliveryJob> jobs = new ArrayList<>();
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    Timestamp previousExpires = rows.getTimestamp(12);
                    DeliveryJob.Target target = new DeliveryJob.Target(rows.getString(6), rows.getString(7),
                            rows.getBytes(8), rows.getString(9), rows.getBytes(10), rows.getString(11),
                            previousExpires == null ? null : previousExpires.toInstant());
                    jobs.add(new DeliveryJob(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getBytes(4), rows.getInt(5) + 1, leaseUntil, target));
                }
            }
            return jobs;
        } catch (SQLException e) {
            throw new OutboxException("claiming due deliveries failed", e);
        }
    }

    /** Inserts deliveries in one statement, on the connection of the caller's transaction. */
    public static void insert(Connection connection, List<NewDelivery> deliveries) throws SQLException {
        if (deliveries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into delivery (id, event_id, endpoint_id, owner, event_type, status, attempts, next_attempt_at,
                                      created_at, redelivery_of, replay_id)
                select u.id, u.event_id, u.endpoint_id, u.owner, u.event_type, 'pending', 0, u.due::timestamptz,
                       u.created::timestamptz, u.redelivery_of, u.replay_id
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[]) as u(id, event_id, endpoint_id, owner, event_type, due, created, redelivery_of,
                                            replay_id)""")) {
            Columns columns = new Columns(connection, insert);
            columns.text(deliveries, NewDelivery::id);
            columns.text(deliveries, NewDelivery::eventId);
            columns.text(deliveries, NewDelivery::endpointId);
            columns.text(deliveries, NewDelivery::owner);
            columns.text(deliveries, NewDelivery::eventType);
            columns.time(deliveries, NewDelivery::leaseUntil);
            columns.time(deliveries, NewDelivery::createdAt);
            columns.text(deliveries, NewDelivery::redeliveryOf);
            columns.text(deliveries, NewDelivery::replayId);
            insert.executeUpdate();
        }
    }

    /** Hands unsent deliveries back: due at the given time, attempts unchanged. */
    @Transactional
    public void release(List<Release> releases) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update delivery set next_attempt_at = ? where id = ? and status = 'pending'")) {
            for (Release r : releases) {
                update.setTimestamp(1, Timestamp.from(r.at()));
                update.setString(2, r.deliveryId());
                update.addBatch();
            }
            update.executeBatch();
        } catch (SQLException e) {
            throw new OutboxException("releasing deliveries failed", e);
        }
    }

    /** Fails the pending deliveries of endpoints that stopped taking deliveries; they stay replayable. */
    public static int failPending(Connection connection, Collection<String> endpointIds, String reason,
            Instant now) throws SQLException {
        if (endpointIds.isEmpty()) {
            return 0;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                update delivery set status = 'failed', next_attempt_at = null, completed_at = ?, last_error = ?
                where endpoint_id = any (?) and status = 'pending'""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, reason);
            update.setArray(3, connection.createArrayOf("text", endpointIds.toArray()));
            return update.executeUpdate();
        }
    }

    public static Array textArray(Connection connection, Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}
