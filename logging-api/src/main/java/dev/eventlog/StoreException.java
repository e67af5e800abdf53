package dev.eventlog;

import java.sql.SQLException;

/**
 * A store could not do what was asked: the database was unreachable, a write failed, a file
 * could not be written. When the cause is a {@link SQLException} its SQLState is kept in
 * {@link #sqlState()}. Messages never hold a password.
 */
public class StoreException extends EventLogException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    /** Creates an exception with a message and the underlying cause. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.sqlState = cause instanceof SQLException sql ? sql.getSQLState() : null;
    }

    /** Creates an exception with a message only. */
    public StoreException(String message) {
        super(message);
        this.sqlState = null;
    }

    /** The SQLState of the underlying {@link SQLException}, or {@code null} when there is none. */
    public String sqlState() {
        return sqlState;
    }
}
