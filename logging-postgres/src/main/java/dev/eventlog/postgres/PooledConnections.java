package dev.eventlog.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventlog.StoreException;
import dev.eventlog.jdbc.ConnectionSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Connections from a {@link DataSource}: the store's own HikariCP pool, or the application's. A
 * connection that comes in autocommit mode is switched off for the transaction and back on when
 * it is returned, so an application's data source gets its connections back as it gave them.
 * Closing closes only the pool the store made. Thread-safe.
 */
final class PooledConnections implements ConnectionSource {
    private final DataSource dataSource;
    private final HikariDataSource pool;
    private final String description;
    private final Set<Connection> autoCommitToRestore = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param pool the pool the store made and closes, or {@code null} when {@code dataSource} is
     *     the application's
     */
    PooledConnections(DataSource dataSource, HikariDataSource pool, String description) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.description = description;
    }

    /** The data source, for the schema's own connections. */
    /** Whether two connections can be held at once without one waiting for the other: the store's own pool of two or more. */
    boolean holdsTwoAtOnce() {
        return pool != null && pool.getMaximumPoolSize() >= 2;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Throws when the source is closed. */
    void ensureOpen() {
        if (closed) {
            throw new StoreException(description + " is closed");
        }
    }

    @Override
    public Connection acquire(boolean write) throws SQLException {
        ensureOpen();
        Connection connection = dataSource.getConnection();
        try {
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
                autoCommitToRestore.add(connection);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return connection;
    }

    @Override
    public void release(Connection connection, boolean write) throws SQLException {
        SQLException failure = null;
        try {
            if (autoCommitToRestore.remove(connection)) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            failure = e;
        }
        // Closed whatever happened above: the pool discards a connection it cannot reset.
        try {
            connection.close();
        } catch (SQLException e) {
            failure = ConnectionSource.keepFirst(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pool != null) {
            pool.close();
        }
    }
}
