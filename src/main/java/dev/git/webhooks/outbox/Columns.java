package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Binds a batch of rows column by column, as arrays for {@code unnest(…)}: one statement writes the whole batch,
 * which PostgreSQL runs far faster than the same rows as separate statements. Times go as ISO-8601 text.
 */
public final class Columns {

    private final Connection connection;
    private final PreparedStatement statement;
    private int index;

    public Columns(Connection connection, PreparedStatement statement) {
        this(connection, statement, 1);
    }

    /** Binds from parameter {@code first} on. */
    public Columns(Connection connection, PreparedStatement statement, int first) {
        this.connection = connection;
        this.statement = statement;
        this.index = first;
    }

    /** A {@code text[]} of the values, for {@code = any (?)}. */
    public static java.sql.Array texts(Connection connection, java.util.Collection<String> values)
            throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    public <T> Columns text(List<T> rows, Function<T, String> column) throws SQLException {
        statement.setArray(index++, connection.createArrayOf("text", values(rows, column)));
        return this;
    }

    /** The column's values, in a plain loop: a stream per column and batch cost more than the batch itself. */
    private static <T> Object[] values(List<T> rows, Function<T, ?> column) {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return values;
    }

    public <T> Columns time(List<T> rows, Function<T, Instant> column) throws SQLException {
        return text(rows, row -> {
            Instant value = column.apply(row);
            return value == null ? null : value.toString();
        });
    }

    public <T> Columns integer(List<T> rows, Function<T, Integer> column) throws SQLException {
        statement.setArray(index++, connection.createArrayOf("int4", values(rows, column)));
        return this;
    }

    public <T> Columns bigint(List<T> rows, Function<T, Long> column) throws SQLException {
        statement.setArray(index++, connection.createArrayOf("int8", values(rows, column)));
        return this;
    }

    public <T> Columns bytes(List<T> rows, Function<T, byte[]> column) throws SQLException {
        byte[][] values = new byte[rows.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        statement.setArray(index++, connection.createArrayOf("bytea", values));
        return this;
    }
}
