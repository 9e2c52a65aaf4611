package dev.git.webhooks.delivery.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.git.webhooks.delivery.DeliveryJob;
import dev.git.webhooks.delivery.Outcomes;
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
    private final Instance<RecordingListener> listeners;

    public AttemptWriter(DataSource dataSource, ObjectMapper json, Instance<RecordingListener> listeners) {
        this.dataSource = dataSource;
        this.json = json;
        this.listeners = listeners;
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
            List<String> failed = batch.stream().filter(r -> Outcomes.FAILED.equals(r.status()))
                    .map(r -> r.job().deliveryId()).toList();
            for (RecordingListener listener : listeners) {
                listener.recorded(connection, failed, disabled, now);
            }
            return disabled;
        } catch (SQLException e) {
            throw new OutboxException("recording attempts failed", e);
        }
    }

    private void insertAttempts(Connection connection, List<Recorded> batch) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into delivery_attempt (delivery_id, attempt, started_at, duration_ms, request_headers,
                    response_status, response_headers, response_body, error_class, error_message)
                select u.id, u.attempt, u.started::timestamptz, u.duration, u.request::jsonb, u.status,
                       u.response::jsonb, u.body, u.error_class, u.error_message
                from unnest(?::text[], ?::int[], ?::text[], ?::int[], ?::text[], ?::int[], ?::text[], ?::text[],
                            ?::text[], ?::text[]) as u(id, attempt, started, duration, request, status, response, body,
                                                       error_class, error_message)
                join delivery d on d.id = u.id""")) {
            new Columns(connection, insert)
                    .text(batch, r -> r.job().deliveryId())
                    .integer(batch, r -> r.job().attempt())
                    .time(batch, r -> r.result().startedAt())
                    .integer(batch, r -> (int) Math.min(Integer.MAX_VALUE, r.result().durationMs()))
                    .text(batch, r -> toJson(r.result().requestHeaders()))
                    .integer(batch, r -> r.result().status())
                    .text(batch, r -> r.result().status() == null ? null : toJson(r.result().responseHeaders()))
                    .text(batch, r -> r.result().responseBody())
                    .text(batch, r -> r.result().errorClass())
                    .text(batch, r -> r.result().errorMessage());
            insert.executeUpdate();
        }
    }

    private static void updateDeliveries(Connection connection, List<Recorded> batch, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update delivery d set status = u.status, attempts = u.attempt, next_attempt_at = u.next::timestamptz,
                    last_attempt_at = u.started::timestamptz, last_status = u.last_status, last_error = u.last_error,
                    completed_at = u.completed::timestamptz
                from unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[])
                     as u(id, status, attempt, next, started, last_status, last_error, completed)
                where d.id = u.id and d.status = 'pending'""")) {
            new Columns(connection, update)
                    .text(batch, r -> r.job().deliveryId())
                    .text(batch, Recorded::status)
                    .integer(batch, r -> r.job().attempt())
                    .time(batch, r -> Outcomes.PENDING.equals(r.status()) ? r.nextAttemptAt() : null)
                    .time(batch, r -> r.result().startedAt())
                    .integer(batch, r -> r.result().status())
                    .text(batch, r -> r.result().succeeded() ? null : r.result().summary())
                    .time(batch, r -> Outcomes.PENDING.equals(r.status()) ? null : now);
            update.executeUpdate();
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
