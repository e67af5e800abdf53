package dev.eventlog.jdbc;

import dev.eventlog.StoreException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One schema change under the database's lock: on SQLite a single transaction that first takes
 * the write lock, so the change is all or nothing and a killed process leaves nothing behind; on
 * PostgreSQL the work as it is, the caller holding the schema's session advisory lock.
 */
final class SchemaTransaction {
    private static final long SQLITE_LOCK_WAIT_MS = 120_000;

    private SchemaTransaction() {
    }

    interface Work {
        void run(Connection tx) throws SQLException;
    }

    /**
     * Runs {@code work} as one change under the database's lock. SQLite: one transaction that
     * first takes the write lock; Liquibase is handed a view of the connection whose commits do
     * nothing, so its change sets and lock rows are committed together at the end, or not at all.
     * PostgreSQL: the caller holds the schema's session advisory lock, and Liquibase commits each
     * change set (a failed statement aborts a PostgreSQL transaction, and Liquibase probes with
     * statements that fail), so a kill leaves whole change sets and, at worst, a lock row that the
     * next change clears.
     */
    static void run(Connection connection, String store, Work work) {
        boolean sqlite;
        try {
            sqlite = SchemaMigrator.isSqlite(connection);
            if (!sqlite) {
                work.run(connection);
                return;
            }
        } catch (SQLException e) {
            throw new StoreException(store + " could not change its schema: " + e.getMessage(), e);
        }
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            beginImmediate(connection, store);
        } catch (SQLException e) {
            throw new StoreException(store + " could not begin a schema change: " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            work.run(uncommitting(connection));
            try (Statement statement = connection.createStatement()) {
                statement.execute("COMMIT");
            }
            done = true;
        } catch (SQLException e) {
            throw new StoreException(store + " could not change its schema: " + e.getMessage(), e);
        } finally {
            try {
                if (!done) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("ROLLBACK");
                    }
                }
                connection.setAutoCommit(autoCommit);
            } catch (SQLException e) {
                if (done) {
                    throw new StoreException(store + " could not end its schema change: " + e.getMessage(), e);
                }
                // The change's own failure is what the caller must see; the database rolls back anyway.
            }
        }
    }

    /**
     * Takes SQLite's write lock. The busy timeout waits for it; a process holding it longer (another
     * migration on a slow machine) is waited for again, up to two minutes in all.
     */
    private static void beginImmediate(Connection connection, String store) throws SQLException {
        long deadline = System.nanoTime() + SQLITE_LOCK_WAIT_MS * 1_000_000;
        while (true) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                return;
            } catch (SQLException e) {
                boolean busy = e.getErrorCode() == 5 || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
                if (!busy || System.nanoTime() > deadline) {
                    throw new StoreException(store + " could not take the database's write lock for a schema change"
                            + (busy ? " within " + SQLITE_LOCK_WAIT_MS / 1000 + " s: another process keeps writing"
                                    : ": " + e.getMessage()), e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StoreException(store + " was interrupted waiting for its schema lock", interrupted);
                }
            }
        }
    }

    private static Connection uncommitting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(SchemaTransaction.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "commit", "close", "setAutoCommit":
                            return null;
                        case "rollback":
                            if (args == null || args.length == 0) {
                                // Liquibase rolls back after a failure it then throws; the whole
                                // transaction is rolled back once the throw reaches inOneTransaction.
                                return null;
                            }
                            break;
                        case "getAutoCommit":
                            return false;
                        case "isClosed":
                            return connection.isClosed();
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        default:
                            break;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
