package dev.git.webhooks.outbox;

/** The outbox could not be read or written; the caller retries, nothing is lost. */
public class OutboxException extends RuntimeException {

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the database was away or busy (connection, resources, shutdown, conflicts; no SQL state at all is a
     * pool timeout) rather than refusing the data: then the same write is worth trying again as it is.
     */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState() == null ? "08" : sql.getSQLState();
                return state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                        || state.startsWith("40") || state.startsWith("55");
            }
        }
        return false;
    }

    /** The message of the innermost cause (the driver's, which says what the database refused). */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
