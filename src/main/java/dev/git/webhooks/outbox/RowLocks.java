package dev.git.webhooks.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The one lock order for every write that changes several {@code delivery} rows and waits for locks: by id. Two such
 * transactions can then wait for each other, never in a circle, so PostgreSQL never has to break a deadlock (which
 * under load cost whole batches of recorded outcomes and lease renewals). A {@code WHERE} over a range locks in whatever order
 * its plan visits rows, so those rows are locked first, sorted, in a statement of their own in the caller's
 * transaction; the write after it finds them locked already. The hot writes by id (record, renew, release) need no
 * such statement: they join the delivery rows from their input sorted by id, which drives the update's nested loop in
 * that order, and spare the lock record that a separate lock writes to the WAL for every row. Claims take no part:
 * they skip locked rows and never wait.
 */
final class RowLocks {

    private RowLocks() {
    }

    /** Locks these deliveries (those that exist) in id order. */
    static void byId(Connection connection, Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement lock = connection.prepareStatement(
                "select id from delivery where id = any (?) order by id for no key update")) {
            lock.setArray(1, Columns.texts(connection, ids));
            lock.executeQuery().close();
        }
    }

    /**
     * Locks, in id order, the deliveries that {@code where} selects (a condition on {@code delivery}, bound by
     * {@code binder}), and answers their ids for the write that follows.
     */
    static List<String> where(Connection connection, String where, Binder binder) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "select id from delivery where " + where + " order by id for no key update")) {
            binder.bind(lock);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    /** Binds the parameters of a lock's condition. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}
