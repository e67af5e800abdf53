package dev.eventlog.postgres;

import dev.eventlog.SchemaException;
import dev.eventlog.StoreException;
import dev.eventlog.jdbc.SchemaMigrator;
import dev.eventlog.spi.SchemaMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.LoggerFactory;

/**
 * A store's PostgreSQL schema: creates it when missing and allowed, and runs the Liquibase
 * changelog in it (on a new, empty schema the script Liquibase rendered at build time,
 * {@link PostgresTemplate}, in one transaction). Liquibase works on a connection whose {@code search_path} is the schema (the
 * changelog names its tables unqualified) and which is put back as it was afterwards. Changes
 * take a PostgreSQL session advisory lock on the schema's name, so instances that start together on
 * a new schema create and migrate it once, one after the other; the lock dies with its session, so
 * a process killed during a change blocks nobody, and the Liquibase lock row it may leave is cleared
 * by the next change, under the advisory lock. Thread-safe.
 */
final class PostgresSchema {
    private final DataSource dataSource;
    private final ConnectionTarget target;
    private final PostgresOptions options;
    private final SchemaMigrator migrator;
    private final Runnable ensureOpen;

    PostgresSchema(DataSource dataSource, ConnectionTarget target, PostgresOptions options, SchemaMigrator migrator,
            Runnable ensureOpen) {
        this.dataSource = dataSource;
        this.target = target;
        this.options = options;
        this.migrator = migrator;
        this.ensureOpen = ensureOpen;
    }

    /**
     * Makes the schema this build's, or checks that it is in validate-only mode.
     *
     * @return whether appends may COPY through temporary staging tables: the connections are
     *     pgjdbc's and the role may create temporary tables
     * @throws SchemaException when the schema is missing and may not be created, is newer than
     *     this build, or lacks change sets in validate-only mode
     */
    boolean prepare() {
        return withSchemaConnection(connection -> {
            try {
                boolean validate = options.schemaMode() == SchemaMode.VALIDATE;
                if (!schemaExists(connection) || (!validate && !migrator.pending(connection).isEmpty())) {
                    // Creating and migrating under one lock: processes starting together on a new
                    // schema wait for the first, then find it done.
                    locked(connection, () -> {
                        createSchemaIfMissing(connection);
                        try {
                            // A new, empty schema gets the script Liquibase rendered at build time.
                            if (PostgresTemplate.apply(connection, target.schema())) {
                                return;
                            }
                        } catch (SQLException e) {
                            throw new StoreException(target.describe() + " could not create its schema: "
                                    + ConnectionTarget.reason(e), e);
                        }
                        migrator.prepare(connection, false);
                    });
                } else {
                    migrator.prepare(connection, validate);
                }
                return mayStage(connection);
            } catch (SQLException e) {
                throw new StoreException(target.describe() + " could not prepare its schema: "
                        + ConnectionTarget.reason(e), e);
            }
        });
    }

    /** {@link #prepare()}'s answer without looking at the schema, for a store that leaves it alone. */
    boolean mayStage() {
        return withSchemaConnection(connection -> {
            try {
                return mayStage(connection);
            } catch (SQLException e) {
                throw new StoreException(target.describe() + " could not read its privileges: "
                        + ConnectionTarget.reason(e), e);
            }
        });
    }

    /** Work on a schema connection that may fail with SQL. */
    interface SchemaWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on an autocommit connection whose {@code search_path} is the schema,
     * holding the schema's advisory lock when {@code lock} is set.
     *
     * @param what what the work does, for the message when it fails
     */
    <T> T run(String what, boolean lock, SchemaWork<T> work) {
        return withSchemaConnection(connection -> {
            List<T> result = new ArrayList<>(1);
            Runnable call = () -> {
                try {
                    result.add(work.run(connection));
                } catch (SQLException e) {
                    throw new StoreException(target.describe() + " could not " + what + ": "
                            + ConnectionTarget.reason(e), e);
                }
            };
            if (lock) {
                locked(connection, call);
            } else {
                call.run();
            }
            return result.get(0);
        });
    }

    /** Whether the connections unwrap to pgjdbc's, whose copy API {@code COPY} needs. */
    boolean copies() {
        ensureOpen.run();
        try (Connection connection = dataSource.getConnection()) {
            return connection.isWrapperFor(PGConnection.class);
        } catch (SQLException e) {
            throw new StoreException(target.cannotConnect(e), e);
        }
    }

    /** How many change sets this build has; part of the staging tables' names. */
    int changeSetCount() {
        return migrator.expected().size();
    }

    List<String> applied() {
        return withSchemaConnection(migrator::applied);
    }

    List<String> pending() {
        return withSchemaConnection(migrator::pending);
    }

    List<String> unknown() {
        return withSchemaConnection(migrator::unknown);
    }

    /** Applies every pending change set, creating the schema first when it is missing and allowed. */
    void update() {
        withSchemaConnection(connection -> locked(connection, () -> {
            createSchemaIfMissing(connection);
            migrator.update(connection);
        }));
    }

    List<String> rollback(int count, boolean dropRows) {
        List<String> rolledBack = new ArrayList<>();
        withSchemaConnection(connection -> locked(connection,
                () -> rolledBack.addAll(migrator.rollback(connection, count, dropRows))));
        return rolledBack;
    }

    /**
     * The Liquibase lock row's holder, marked stale when no live process holds the advisory lock;
     * or that a live process is changing the schema; or {@code null} when nothing holds either.
     */
    String lockHolder() {
        return withSchemaConnection(connection -> {
            String key = lockKey();
            try {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
                    lock.setString(1, key);
                    try (ResultSet rows = lock.executeQuery()) {
                        rows.next();
                        if (!rows.getBoolean(1)) {
                            return "held by a live eventlog process that is changing the schema now";
                        }
                    }
                }
                try {
                    String holder = migrator.lockHolder(connection);
                    return holder == null ? null : "taken by " + holder + "; no live eventlog process holds it (stale)";
                } finally {
                    try (PreparedStatement unlock = connection.prepareStatement(
                            "SELECT pg_advisory_unlock(hashtext(?))")) {
                        unlock.setString(1, key);
                        unlock.execute();
                    }
                }
            } catch (SQLException e) {
                throw new StoreException(target.describe() + " could not read its schema lock: "
                        + ConnectionTarget.reason(e), e);
            }
        });
    }

    private String lockKey() {
        return "eventlog schema " + target.schema();
    }

    String unlock() {
        String[] holder = new String[1];
        withSchemaConnection(connection -> locked(connection, () -> holder[0] = migrator.unlock(connection)));
        return holder[0];
    }

    private static boolean mayStage(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(PGConnection.class)) {
            return false;
        }
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT pg_catalog.has_database_privilege(pg_catalog.current_database(), 'TEMPORARY')")) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    private boolean schemaExists(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            statement.setString(1, target.schema());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void createSchemaIfMissing(Connection connection) {
        try {
            if (schemaExists(connection)) {
                return;
            }
            if ((options.schemaMode() == SchemaMode.VALIDATE) || !options.createSchema()) {
                throw new SchemaException(target.describe() + ": schema '" + target.schema() + "' does not exist and"
                        + " the store was opened " + ((options.schemaMode() == SchemaMode.VALIDATE)
                                ? "to validate only" : "with createSchema off")
                        + "; create it with a role that may, e.g. CREATE SCHEMA " + target.schema());
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + PostgresEventStore.quote(target.schema()));
            } catch (SQLException e) {
                // Another client (not under our lock) created it at the same moment: it exists now.
                if (!schemaExists(connection)) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new StoreException(target.describe() + " could not create schema '" + target.schema() + "': "
                    + ConnectionTarget.reason(e), e);
        }
    }

    /**
     * Runs {@code change} holding the schema's session advisory lock. The lock belongs to the
     * connection's session, so PostgreSQL releases it when the process holding it dies.
     */
    private Void locked(Connection connection, Runnable change) {
        String key = lockKey();
        try {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
                lock.setString(1, key);
                lock.execute();
            }
            try {
                change.run();
            } finally {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                    unlock.setString(1, key);
                    unlock.execute();
                }
            }
            return null;
        } catch (SQLException e) {
            throw new StoreException(target.describe() + " could not lock its schema: " + ConnectionTarget.reason(e), e);
        }
    }

    /**
     * Runs {@code work} on an autocommit connection whose {@code search_path} is the schema, then
     * puts the connection back as it was.
     */
    private <T> T withSchemaConnection(Function<Connection, T> work) {
        ensureOpen.run();
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new StoreException(target.cannotConnect(e), e);
        }
        try {
            boolean autoCommit = connection.getAutoCommit();
            String searchPath = searchPath(connection);
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET search_path TO " + PostgresEventStore.quote(target.schema()));
            }
            try {
                return work.apply(connection);
            } finally {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT pg_catalog.set_config('search_path', ?, false)")) {
                    statement.setString(1, searchPath);
                    statement.execute();
                }
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException(target.describe() + " could not set up a schema connection: "
                    + ConnectionTarget.reason(e), e);
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                // The work's own outcome matters more; a pool discards a connection it cannot reset.
                LoggerFactory.getLogger(PostgresSchema.class).warn("{} could not return a connection: {}",
                        target.describe(), ConnectionTarget.reason(e));
            }
        }
    }

    private static String searchPath(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_catalog.current_setting('search_path')")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
