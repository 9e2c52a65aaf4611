package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Records attempts, a batch per transaction. The delivery row keeps the last attempt (status, time, duration, the
 * answer); an attempt that failed also gets a row of its own with the request as sent, since that is what someone
 * debugging needs. A first attempt that succeeds therefore writes only its delivery row, in place. Deliveries that
 * failed for good are announced in the transaction ({@link DeliveriesFailed}), so that their notices commit with
 * them.
 */
@ApplicationScoped
public class AttemptLog {

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Event<DeliveriesFailed> failed;

    public AttemptLog(DataSource dataSource, ObjectMapper json, Event<DeliveriesFailed> failed) {
        this.dataSource = dataSource;
        this.json = json;
        this.failed = failed;
    }

    /** Writes the batch; answers the outcomes that applied (the others' claims had passed to another instance). */
    @Transactional
    public List<Outcome> record(List<Outcome> batch, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            Set<String> applied = updateDeliveries(connection, batch, now);
            List<Outcome> recorded = new ArrayList<>();
            List<Outcome> failures = new ArrayList<>();
            for (Outcome o : batch) {
                if (applied.contains(o.job().deliveryId())) {
                    recorded.add(o);
                    if (!o.result().succeeded()) {
                        failures.add(o);
                    }
                }
            }
            insertAttempts(connection, failures);
            List<String> exhausted = recorded.stream().filter(o -> o.status() == DeliveryStatus.FAILED)
                    .map(o -> o.job().deliveryId()).toList();
            if (!exhausted.isEmpty()) {
                failed.fire(new DeliveriesFailed(exhausted));
            }
            return recorded;
        } catch (SQLException e) {
            throw new OutboxException("recording " + batch.size() + " attempts failed", e);
        }
    }

    private Set<String> updateDeliveries(Connection connection, List<Outcome> batch, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update delivery d set status = u.status, attempts = u.attempt, next_attempt_at = u.next::timestamptz,
                    claim = case when u.next is null then d.claim end,
                    last_attempt_at = u.started::timestamptz, last_status = u.http_status, last_error = u.last_error,
                    completed_at = u.completed::timestamptz, last_duration_ms = u.duration,
                    last_response_headers = u.headers::jsonb, last_response_body = u.body,
                    last_request_signed = u.signed
                from (select * from unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::int[],
                                           ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::bytea[])
                          as u(id, claim, status, attempt, next, started, http_status, last_error, completed, duration,
                               headers, body, signed)
                      order by id) u
                where d.id = u.id and d.claim = u.claim and d.status = 'pending'
                returning d.id""")) {
            // rows in id order (the sorted input drives the update's nested loop): the one lock order of RowLocks,
            // without a statement of its own and the lock record in the WAL that it writes for every row
            new Columns(connection, update)
                    .text(batch, o -> o.job().deliveryId())
                    .text(batch, o -> o.job().claim())
                    .text(batch, o -> o.status().value())
                    .integer(batch, o -> o.job().attempt())
                    .time(batch, o -> o.retrying() ? o.nextAttemptAt() : null)
                    .time(batch, o -> o.result().startedAt())
                    .integer(batch, o -> o.result().status())
                    .text(batch, o -> o.result().succeeded() ? null : o.result().summary())
                    .time(batch, o -> o.retrying() ? null : now)
                    .integer(batch, o -> duration(o.result()))
                    .text(batch, o -> o.result().status() == null ? null : toJson(o.result().responseHeaders()))
                    .text(batch, o -> o.result().responseBody())
                    .bytes(batch, o -> LastAttempt.signed(o.result().requestHeaders()));
            Set<String> applied = new HashSet<>();
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    applied.add(rows.getString(1));
                }
            }
            return applied;
        }
    }

    private void insertAttempts(Connection connection, List<Outcome> failures) throws SQLException {
        if (failures.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into delivery_attempt (delivery_id, attempt, started_at, duration_ms, request_headers,
                    response_status, response_headers, response_body, error_class, error_message)
                select u.id, u.attempt, u.started::timestamptz, u.duration, u.request::jsonb, u.status,
                       u.response::jsonb, u.body, u.error_class, u.error_message
                from unnest(?::text[], ?::int[], ?::text[], ?::int[], ?::text[], ?::int[], ?::text[], ?::text[],
                            ?::text[], ?::text[]) as u(id, attempt, started, duration, request, status, response, body,
                                                       error_class, error_message)""")) {
            new Columns(connection, insert)
                    .text(failures, o -> o.job().deliveryId())
                    .integer(failures, o -> o.job().attempt())
                    .time(failures, o -> o.result().startedAt())
                    .integer(failures, o -> duration(o.result()))
                    .text(failures, o -> toJson(o.result().requestHeaders()))
                    .integer(failures, o -> o.result().status())
                    .text(failures, o -> o.result().status() == null ? null : toJson(o.result().responseHeaders()))
                    .text(failures, o -> o.result().responseBody())
                    .text(failures, o -> o.result().errorClass())
                    .text(failures, o -> o.result().errorMessage());
            insert.executeUpdate();
        }
    }

    private static Integer duration(AttemptResult result) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, result.durationMs()));
    }

    private String toJson(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
