package dev.git.webhooks.ingest.consumer;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a failure caused by the records (split the batch, dead-letter the one that fails alone) from one caused by
 * the database being unavailable (retry the whole batch later: good records must never be dead-lettered because
 * PostgreSQL is down).
 */
public final class StoreFailures {

    /**
     * Class 42 also holds the errors of a database that is not migrated or not permitted; those would fail every
     * record alike, so they are waited out (ingest reports itself stalled) instead of dead-lettering everything.
     */
    private static final Set<String> SYSTEMIC = Set.of("42501", "42P01", "42703", "42704", "42883");

    private StoreFailures() {
    }

    /**
     * True for SQLState classes 22 (data exception: a value PostgreSQL cannot take), 23 (integrity constraint),
     * 54 (program limit: a value too large for a row or an index) and 42 (except {@link #SYSTEMIC}). False for
     * everything else: 08 connection, 53 resources, 57 operator intervention, 40 rollback (serialization,
     * deadlock), 55 lock not available, no SQLState at all (pool timeouts, transaction manager errors).
     */
    public static boolean isDataError(Throwable failure) {
        String state = sqlState(failure);
        if (state == null || state.length() != 5) {
            return false;
        }
        return switch (state.substring(0, 2)) {
            case "22", "23", "54" -> true;
            case "42" -> !SYSTEMIC.contains(state);
            default -> false;
        };
    }

    /** The SQLState of the first SQL exception in the chain that has one, or null. */
    public static String sqlState(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null) {
                        return s.getSQLState();
                    }
                }
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return null;
    }

    /** A short, single-line description for a dead-letter header or a log line. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; depth < 32; depth++) {
            if (root instanceof SQLException || root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        String state = sqlState(failure);
        String message = String.valueOf(root.getMessage()).replaceAll("\\s+", " ");
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return (state == null ? root.getClass().getSimpleName() : "SQLState " + state) + ": " + message;
    }
}
