package dev.eventlog.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a {@link JdbcEventStore} gets its connections: one writer under a lock (SQLite), or a
 * pool (PostgreSQL). A connection comes with autocommit off and goes back through
 * {@link #release} after its transaction was committed or rolled back. Implementations are
 * thread-safe.
 */
public interface ConnectionSource {
    /**
     * A connection for a write ({@code write}) or a read, its transaction not yet begun.
     *
     * @throws dev.eventlog.StoreException when the source is closed
     */
    Connection acquire(boolean write) throws SQLException;

    /** Gives back a connection from {@link #acquire}. */
    void release(Connection connection, boolean write) throws SQLException;

    /** Closes what the source opened; later {@link #acquire}s throw. Idempotent. */
    void close() throws SQLException;

    /**
     * The failure to report when several clean-up steps fail one after the other: the first one,
     * with each later one added to it as suppressed. Start with {@code first} null.
     */
    static SQLException keepFirst(SQLException first, SQLException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
