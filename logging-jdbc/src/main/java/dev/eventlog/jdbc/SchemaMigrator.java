package dev.eventlog.jdbc;

import dev.eventlog.SchemaException;
import dev.eventlog.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Brings a SQL store's schema up to date with the Liquibase changelog in its jar, cheaply when
 * it already is: one query of {@code databasechangelog} compared with the change set ids read
 * from the changelog, and Liquibase itself only runs when something is missing.
 *
 * <p>Every change runs under a lock of the database that dies with its process: processes that
 * start together on a new store change it one after the other, the later ones finding it done,
 * and a process killed in the middle blocks no later one. SQLite: the change is <b>one
 * transaction</b> that first takes the write lock ({@code BEGIN IMMEDIATE}, waited for and
 * retried), so a kill leaves nothing behind, neither half a schema nor a taken Liquibase lock row.
 * PostgreSQL: the caller holds a session advisory lock around the change. A Liquibase lock row
 * found taken under that lock can only be a dead process's (or another Liquibase tool's), and is
 * cleared before the change instead of waited for.
 *
 * <p>Before changing anything it checks that the database holds no table or view of the same name
 * that the changelog did not create (another application's), and no change set this build does not
 * know (a newer eventlog's, or another application's), and refuses with a {@link SchemaException}
 * naming them. Thread-safe.
 */
public final class SchemaMigrator {
    /**
     * A test hook: when set to a number of milliseconds, a schema change sleeps that long inside
     * its transaction, holding the lock, after printing {@value #HOLDING} on standard output.
     */
    public static final String HOLD_PROPERTY = "eventlog.test.schemaChangeHoldMs";
    /** What the {@link #HOLD_PROPERTY} hook prints when it starts to sleep. */
    public static final String HOLDING = "SCHEMA-CHANGE-HOLDING-LOCK";
    private final String changelog;
    private final String store;
    private final String schema;
    private final ChangelogFile file;
    private final List<String> expected;

    /**
     * @param changelog the class path resource of a Liquibase formatted-SQL changelog
     * @param store the store's description for messages
     * @param schema the schema to work in, or {@code null} for the connection's default
     */
    public SchemaMigrator(String changelog, String store, String schema) {
        this.changelog = changelog;
        this.store = store;
        this.schema = schema;
        this.file = ChangelogFile.read(changelog);
        this.expected = file.ids();
    }

    /** The change sets of this build, in order, as {@code author:id}. */
    public List<String> expected() {
        return expected;
    }

    /**
     * Makes sure the schema is this build's: returns at once when it is; otherwise applies the
     * missing change sets, or throws in validate-only mode.
     *
     * @throws SchemaException when the database is newer than this build, holds another
     *     application's tables of the same names, or change sets are missing in validate-only mode
     */
    public void prepare(Connection connection, boolean validateOnly) {
        List<String> applied = applied(connection);
        checkNotNewer(applied);
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(applied);
        if (missing.isEmpty()) {
            return;
        }
        if (validateOnly) {
            throw new SchemaException(store + " is missing change set(s) " + missing
                    + " and the store was opened to validate only; run 'eventlog schema update' with a role"
                    + " that may create tables");
        }
        update(connection);
    }

    /** The applied change sets, oldest first; empty when there is no changelog table yet. */
    public List<String> applied(Connection connection) {
        List<String> applied = new ArrayList<>();
        String table = schema == null ? "databasechangelog" : quote(schema) + ".databasechangelog";
        try (Statement statement = connection.createStatement()) {
            if (!tableExists(connection, "databasechangelog")) {
                return applied;
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT author, id FROM " + table + " ORDER BY orderexecuted")) {
                while (rows.next()) {
                    applied.add(rows.getString(1) + ":" + rows.getString(2));
                }
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return applied;
        } catch (SQLException e) {
            throw new StoreException(store + " could not read its schema history: " + e.getMessage(), e);
        }
    }

    private boolean tableExists(Connection connection, String table) throws SQLException {
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet tables = connection.getMetaData().getTables(null, schema, name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The change sets of this build not applied yet. */
    public List<String> pending(Connection connection) {
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(applied(connection));
        return missing;
    }

    /** The applied change sets this build does not know. */
    public List<String> unknown(Connection connection) {
        List<String> unknown = new ArrayList<>(applied(connection));
        unknown.removeAll(expected);
        return unknown;
    }

    /**
     * Applies every pending change set, in one transaction under the database's write lock; does
     * nothing when another process applied them meanwhile.
     *
     * @throws SchemaException when the database holds change sets this build does not know, or a
     *     table or view a pending change set would create that eventlog did not create
     */
    public void update(Connection connection) {
        SchemaTransaction.run(connection, store, tx -> {
            List<String> applied = applied(tx);
            checkNotNewer(applied);
            List<String> pending = new ArrayList<>(expected);
            pending.removeAll(applied);
            if (pending.isEmpty()) {
                return;
            }
            checkNoForeignObjects(tx, pending);
            clearLock(tx);
            liquibase(tx, liquibase -> liquibase.update(new Contexts(), new LabelExpression()));
        });
    }

    /**
     * Rolls back the {@code count} newest change sets, in one transaction under the database's
     * write lock.
     *
     * @param dropRows whether tables holding rows may be dropped
     * @return the change sets rolled back, newest first
     * @throws SchemaException when {@code count} is out of range, the database holds change sets
     *     this build does not know (a newer version must roll those back), or the rollback would
     *     drop tables holding rows and {@code dropRows} is false; nothing is changed then
     */
    public List<String> rollback(Connection connection, int count, boolean dropRows) {
        List<String> rolledBack = new ArrayList<>();
        SchemaTransaction.run(connection, store, tx -> {
            List<String> applied = applied(tx);
            checkNotNewer(applied);
            if (count < 1 || count > applied.size()) {
                throw new SchemaException(store + ": count was '" + count + "' but it must be between 1 and the "
                        + applied.size() + " applied change set(s)");
            }
            List<String> newest = new ArrayList<>(applied.subList(applied.size() - count, applied.size()));
            Collections.reverse(newest);
            if (!dropRows) {
                checkNoRowsDropped(tx, newest);
            }
            clearLock(tx);
            liquibase(tx, liquibase -> liquibase.rollback(count, (String) null));
            rolledBack.addAll(newest);
        });
        return rolledBack;
    }

    /** {@link #rollback(Connection, int, boolean)} that refuses to drop rows. */
    public void rollback(Connection connection, int count) {
        rollback(connection, count, false);
    }

    /**
     * Who holds the Liquibase lock row, as {@code "lockedby since lockgranted"}, or {@code null}
     * when it is free or there is no lock table. Since this class changes a schema in one
     * transaction, a live eventlog process's lock row is never visible to others: a row shown here
     * was left by a process that died (or belongs to another Liquibase tool).
     */
    public String lockHolder(Connection connection) {
        try {
            if (!tableExists(connection, "databasechangeloglock")) {
                return null;
            }
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT lockedby, lockgranted FROM " + qualified("databasechangeloglock") + " WHERE locked = TRUE")) {
                String holder = null;
                if (rows.next()) {
                    holder = rows.getString(1) + (rows.getString(2) == null ? "" : " since " + rows.getString(2));
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                return holder;
            }
        } catch (SQLException e) {
            throw new StoreException(store + " could not read its schema lock: " + e.getMessage(), e);
        }
    }

    /**
     * Clears a Liquibase lock row left taken, in one transaction under the database's write lock.
     *
     * @return who held it, or {@code null} when it was free
     */
    public String unlock(Connection connection) {
        String[] holder = new String[1];
        SchemaTransaction.run(connection, store, tx -> holder[0] = clearLock(tx));
        return holder[0];
    }

    private String clearLock(Connection tx) throws SQLException {
        String holder = lockHolder(tx);
        if (holder != null) {
            try (Statement statement = tx.createStatement()) {
                statement.executeUpdate("UPDATE " + qualified("databasechangeloglock")
                        + " SET locked = FALSE, lockgranted = NULL, lockedby = NULL WHERE locked = TRUE");
            }
        }
        return holder;
    }

    /** The change sets Liquibase would apply, as {@code author:id}. */
    public List<String> unrun(Connection connection) {
        List<String> ids = new ArrayList<>();
        try {
            liquibase(connection, liquibase -> {
                for (ChangeSet changeSet : liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression())) {
                    ids.add(changeSet.getAuthor() + ":" + changeSet.getId());
                }
            });
        } catch (SQLException e) {
            throw new StoreException(store + " could not read its schema history: " + e.getMessage(), e);
        }
        return ids;
    }

    private void checkNotNewer(List<String> applied) {
        List<String> unknown = new ArrayList<>(applied);
        unknown.removeAll(expected);
        if (unknown.isEmpty()) {
            return;
        }
        List<String> foreign = unknown.stream().filter(id -> !file.hasAuthor(id.substring(0, id.indexOf(':'))))
                .toList();
        if (!foreign.isEmpty()) {
            throw new SchemaException(store + " holds Liquibase change set(s) " + foreign + " of another application;"
                    + " nothing was changed: give eventlog a database file or schema of its own");
        }
        throw new SchemaException(store + " has change set(s) " + unknown
                + " that this build does not know: the schema is newer than this version of eventlog;"
                + " nothing was changed: upgrade eventlog or roll the schema back with the newer version");
    }

    private void checkNoForeignObjects(Connection tx, List<String> pending) throws SQLException {
        List<String> found = new ArrayList<>();
        for (String id : pending) {
            for (String name : file.get(id).creates()) {
                String kind = relationKind(tx, name);
                if (kind != null) {
                    found.add(kind + " '" + name + "'");
                }
            }
        }
        if (!found.isEmpty()) {
            throw new SchemaException(store + " already holds " + String.join(", ", found)
                    + " that eventlog did not create (another application's?); nothing was changed:"
                    + " give eventlog a database file or schema of its own");
        }
    }

    private void checkNoRowsDropped(Connection tx, List<String> newest) throws SQLException {
        long total = 0;
        List<String> holding = new ArrayList<>();
        for (String id : newest) {
            for (String table : file.get(id).rollbackDrops()) {
                if (relationKind(tx, table) == null) {
                    continue;
                }
                try (Statement statement = tx.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + qualified(table))) {
                    rows.next();
                    long count = rows.getLong(1);
                    if (count > 0) {
                        holding.add(table + " (" + count + " rows)");
                        total += count;
                    }
                }
            }
        }
        if (total > 0) {
            throw new SchemaException(store + ": rolling back " + newest + " would drop " + String.join(", ", holding)
                    + ", " + total + " rows in all; nothing was changed: back them up first (eventlog copy) and"
                    + " roll back with --force to drop them");
        }
    }

    /** {@code "table"} or {@code "view"} when a relation {@code name} exists in the schema, else {@code null}. */
    private String relationKind(Connection tx, String name) throws SQLException {
        boolean sqlite = isSqlite(tx);
        String sql = sqlite
                ? "SELECT type FROM sqlite_master WHERE lower(name) = ? AND type IN ('table', 'view')"
                : "SELECT CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END FROM pg_catalog.pg_class c"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = ?"
                        + " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname = "
                        + (schema == null ? "pg_catalog.current_schema()" : "?");
        try (PreparedStatement statement = tx.prepareStatement(sql)) {
            statement.setString(1, name.toLowerCase(Locale.ROOT));
            if (!sqlite && schema != null) {
                statement.setString(2, schema);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private interface LiquibaseWork {
        void run(Liquibase liquibase) throws LiquibaseException;
    }

    private static void hold(long millis) {
        System.out.println(HOLDING);
        System.out.flush();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isSqlite(Connection connection) throws SQLException {
        return "SQLite".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
    }

    private String qualified(String table) {
        return schema == null ? table : quote(schema) + "." + table;
    }

    private void liquibase(Connection connection, LiquibaseWork work) throws SQLException {
        try {
            LiquibaseRun.run(connection, changelog, schema, work);
        } catch (SchemaException e) {
            throw e;
        } catch (Exception e) {
            throw new SchemaException(store + " could not change its schema with " + changelog + ": "
                    + rootMessage(e) + "; nothing was changed", e);
        }
    }

    /**
     * Liquibase itself, in a class of its own so that a store whose schema is up to date never loads
     * it: neither Liquibase's classes (which verifying this class would load) nor the JDK logging
     * that Liquibase logs through, set up here, cost an open that only needs the cheap check.
     */
    private static final class LiquibaseRun {
        // Held so that the level set below is not lost when the logger is collected.
        private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

        static {
            if (System.getProperty("liquibase.analytics.enabled") == null) {
                System.setProperty("liquibase.analytics.enabled", "false");
            }
            if (LIQUIBASE_LOG.getLevel() == null) {
                LIQUIBASE_LOG.setLevel(Level.WARNING);
            }
        }

        private LiquibaseRun() {
        }

        static void run(Connection connection, String changelog, String schema, LiquibaseWork work) throws Exception {
            Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                if (schema != null) {
                    database.setDefaultSchemaName(schema);
                    database.setLiquibaseSchemaName(schema);
                }
                // Not closed: closing a Liquibase instance closes the caller's connection.
                @SuppressWarnings("resource")
                Liquibase liquibase = new Liquibase(changelog, new ClassLoaderResourceAccessor(
                        SchemaMigrator.class.getClassLoader()), database);
                liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                String hold = System.getProperty(HOLD_PROPERTY);
                if (hold == null) {
                    work.run(liquibase);
                    return;
                }
                // The test hook: take Liquibase's lock (its later waitForLock finds it held) and sleep.
                LockService lock = LockServiceFactory.getInstance().getLockService(database);
                lock.waitForLock();
                try {
                    hold(Long.parseLong(hold));
                    work.run(liquibase);
                } finally {
                    lock.releaseLock();
                }
            });
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
