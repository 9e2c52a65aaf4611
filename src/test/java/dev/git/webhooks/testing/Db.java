package dev.git.webhooks.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads (and, to simulate the world changing, writes) the test database directly. */
public final class Db {

    private Db() {
    }

    public static List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                        row.put(result.getMetaData().getColumnLabel(c), result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int update(String sql, Object... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until a session waits on a row lock (the service, for a row a test's uncommitted change holds), or until
     * {@code request}, the service's request that should wait, is done anyway.
     */
    public static void awaitWaitingOnALock(java.util.concurrent.Future<?> request) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> request.isDone()
                || !query("select pid from pg_stat_activity where wait_event_type = 'Lock' "
                        + "and backend_type = 'client backend'").isEmpty());
    }

    /** An advisory lock held on a connection of its own; closing it lets go. */
    public interface HeldLock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds the PostgreSQL advisory lock {@code key} until closed: a job of the service that only tries that lock
     * (the replay runner, the retention purge) does nothing meanwhile, so a test can set up a state it would move on.
     */
    public static HeldLock holdLock(long key) {
        try {
            Connection connection = connect();
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_lock(?)")) {
                lock.setLong(1, key);
                lock.execute();
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return () -> {
                try (connection) {
                    // closing the session releases its advisory locks
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(Infrastructure.jdbcUrl(), Infrastructure.username(),
                Infrastructure.password());
    }

    /** A connection of its own, named in {@code pg_stat_activity} by {@code applicationName}; the caller closes it. */
    public static Connection connect(String applicationName) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", Infrastructure.username());
        properties.setProperty("password", Infrastructure.password());
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(Infrastructure.jdbcUrl(), properties);
    }
}
