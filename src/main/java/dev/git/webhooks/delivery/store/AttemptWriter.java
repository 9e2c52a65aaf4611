package dev.git.webhooks.delivery.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.delivery.DeliveryJob;
import dev.git.webhooks.delivery.http.AttemptResult;

/**
 * Records attempts in one transaction per batch: the attempt log, the new state of each delivery, and the health
 * of the endpoints (failing since when; {@code auto_disabled} after failing too long or answering 410).
 */
@ApplicationScoped
public class AttemptWriter {

    /** An attempt and what follows from it: the delivery's new status and, while pending, its next due time. */
    public record Recorded(DeliveryJob job, AttemptResult result, String status, Instant nextAttemptAt,
            boolean gone) {
    }

    private final DataSource dataSource;
    private final ObjectMapper json;

    public AttemptWriter(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Writes the batch; answers the endpoints that this batch disabled. */
    @Transactional
    public Set<String> write(List<Recorded> batch, Instant now, Instant failingCutoff) {
        try (Connection connection = dataSource.getConnection()) {
            insertAttempts(connection, batch);
            updateDeliveries(connection, batch, now);
            Set<String> healthy = new LinkedHashSet<>();
            Set<String> failing = new LinkedHashSet<>();
            Set<String> gone = new LinkedHashSet<>();
            for (Recorded r : batch) {
                String endpoint = r.job().target().endpointId();
                if (r.result().succeeded()) {
                    healthy.add(endpoint);
                } else if (r.gone()) {
                    gone.add(endpoint);
                } else {
                    failing.add(endpoint);
                }
            }
            failing.removeAll(healthy);
            update(connection, "update webhook_endpoint set failing_since = null where id = any (?) "
                    + "and failing_since is not null", healthy);
            Set<String> disabled = new LinkedHashSet<>();
            if (!failing.isEmpty()) {
                try (PreparedStatement mark = connection.prepareStatement("""
                        update webhook_endpoint set failing_since = coalesce(failing_since, ?)
                        where id = any (?) and status = 'enabled'""")) {
                    mark.setTimestamp(1, Timestamp.from(now));
                    mark.setArray(2, OutboxStore.textArray(connection, failing));
                    mark.executeUpdate();
                }
                disabled.addAll(disable(connection, failing, "failing", now, failingCutoff));
            }
            disabled.addAll(disable(connection, gone, "gone", now, null));
            OutboxStore.failPending(connection, disabled, "endpoint_disabled", now);
            return disabled;
        } catch (SQLException e) {
            throw new OutboxException("recording attempts failed", e);
        }
    }

    private void insertAttempts(Connection connection, List<Recorded> batch) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into delivery_attempt (delivery_id, attempt, started_at, duration_ms, request_headers,
                    response_status, response_headers, response_body, error_class, error_message)
                select ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ? where exists (select 1 from delivery where id = ?)""")) {
            for (Recorded r : batch) {
                AttemptResult a = r.result();
                insert.setString(1, r.job().deliveryId());
                insert.setInt(2, r.job().attempt());
                insert.setTimestamp(3, Timestamp.from(a.startedAt()));
                insert.setInt(4, (int) Math.min(Integer.MAX_VALUE, a.durationMs()));
                insert.setString(5, toJson(a.requestHeaders()));
                insert.setObject(6, a.status(), Types.INTEGER);
                insert.setString(7, a.status() == null ? null : toJson(a.responseHeaders()));
                insert.setString(8, a.responseBody());
                insert.setString(9, a.errorClass());
                insert.setString(10, a.errorMessage());
                insert.setString(11, r.job().deliveryId());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void updateDeliveries(Connection connection, List<Recorded> batch, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update delivery set status = ?, attempts = ?, next_attempt_at = ?, last_attempt_at = ?,
                    last_status = ?, last_error = ?, completed_at = ?
                where id = ? and status = 'pending'""")) {
            for (Recorded r : batch) {
                boolean pending = "pending".equals(r.status());
                update.setString(1, r.status());
                update.setInt(2, r.job().attempt());
                update.setTimestamp(3, pending ? Timestamp.from(r.nextAttemptAt()) : null);
                update.setTimestamp(4, Timestamp.from(r.result().startedAt()));
                update.setObject(5, r.result().status(), Types.INTEGER);
                update.setString(6, r.result().succeeded() ? null : r.result().summary());
                update.setTimestamp(7, pending ? null : Timestamp.from(now));
                update.setString(8, r.job().deliveryId());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static List<String> disable(Connection connection, Set<String> endpoints, String reason, Instant now,
            Instant failingCutoff) throws SQLException {
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
            update.setArray(3, OutboxStore.textArray(connection, endpoints));
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

    private static void update(Connection connection, String sql, Set<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setArray(1, OutboxStore.textArray(connection, ids));
            update.executeUpdate();
        }
    }

    private String toJson(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
