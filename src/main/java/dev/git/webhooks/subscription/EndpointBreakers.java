package dev.git.webhooks.subscription;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The circuit breaker of each endpoint as its owner last wrote it (written only when it opens or closes): another
 * instance that becomes the endpoint's owner starts from it, and every instance's ops views show it.
 */
@ApplicationScoped
public class EndpointBreakers {

    /** Open until {@code openUntil} (null: closed), with the wait that a failed trial doubles. */
    public record State(String endpointId, Instant openUntil, long delayMillis) {
    }

    private final DataSource dataSource;

    public EndpointBreakers(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional
    public void record(List<State> states) {
        try (Connection connection = dataSource.getConnection()) {
            EndpointLocks.byId(connection, states.stream().map(State::endpointId).toList());
            try (PreparedStatement update = connection.prepareStatement("""
                    update webhook_endpoint w set breaker_open_until = u.until::timestamptz, breaker_delay_ms = u.delay
                    from unnest(?::text[], ?::text[], ?::int[]) as u(id, until, delay)
                    where w.id = u.id""")) {
                update.setArray(1, connection.createArrayOf("text", states.stream().map(State::endpointId).toArray()));
                update.setArray(2, connection.createArrayOf("text", states.stream()
                        .map(s -> s.openUntil() == null ? null : s.openUntil().toString()).toArray()));
                update.setArray(3, connection.createArrayOf("int4", states.stream()
                        .map(s -> s.openUntil() == null ? null : (int) Math.min(Integer.MAX_VALUE, s.delayMillis()))
                        .toArray()));
                update.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing the breakers of " + states.size() + " endpoints failed", e);
        }
    }

    /** An endpoint's breaker: {@code open} until its time, {@code closed} otherwise (none, or its time passed). */
    public String state(String endpointId, Instant now) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select breaker_open_until from webhook_endpoint where id = ?")) {
            query.setString(1, endpointId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return "closed";
                }
                Timestamp until = row.getTimestamp(1);
                return until == null ? "closed" : until.toInstant().isAfter(now) ? "open" : "half_open";
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the breaker of " + endpointId + " failed", e);
        }
    }
}
