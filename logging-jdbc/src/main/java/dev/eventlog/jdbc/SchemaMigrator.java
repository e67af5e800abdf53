package dev.eventlog.jdbc;

import dev.eventlog.SchemaException;
import dev.eventlog.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Brings a SQL store's schema up to date with the Liquibase changelog in its jar, cheaply when
 * it already is: one query of {@code databasechangelog} compared with the change set ids read
 * from the changelog, and Liquibase itself only runs when something is missing. Thread-safe.
 */
public final class SchemaMigrator {
    private static final Pattern CHANGESET = Pattern.compile("(?m)^--changeset\\s+([^:\\s]+):(\\S+)");
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

    private final String changelog;
    private final String store;
    private final String schema;
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
        this.expected = readChangeSetIds(changelog);
    }

    /** The change sets of this build, in order, as {@code author:id}. */
    public List<String> expected() {
        return expected;
    }

    /**
     * Makes sure the schema is this build's: returns at once when it is; otherwise applies the
     * missing change sets, or throws in validate-only mode.
     *
     * @throws SchemaException when the database is newer than this build, or change sets are
     *     missing in validate-only mode
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
            if (!tableExists(connection)) {
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

    private boolean tableExists(Connection connection) throws SQLException {
        for (String name : new String[] {"databasechangelog", "DATABASECHANGELOG"}) {
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

    /** Applies every pending change set. */
    public void update(Connection connection) {
        checkNotNewer(applied(connection));
        run(connection, liquibase -> liquibase.update(new Contexts(), new LabelExpression()));
    }

    /** Rolls back the {@code count} newest change sets. */
    public void rollback(Connection connection, int count) {
        List<String> applied = applied(connection);
        if (count < 1 || count > applied.size()) {
            throw new SchemaException(store + ": count was '" + count + "' but it must be between 1 and the "
                    + applied.size() + " applied change set(s)");
        }
        run(connection, liquibase -> liquibase.rollback(count, (String) null));
    }

    /** The change sets Liquibase would apply, as {@code author:id}. */
    public List<String> unrun(Connection connection) {
        List<String> ids = new ArrayList<>();
        run(connection, liquibase -> {
            for (ChangeSet changeSet : liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression())) {
                ids.add(changeSet.getAuthor() + ":" + changeSet.getId());
            }
        });
        return ids;
    }

    private void checkNotNewer(List<String> applied) {
        List<String> unknown = new ArrayList<>(applied);
        unknown.removeAll(expected);
        if (!unknown.isEmpty()) {
            throw new SchemaException(store + " has change set(s) " + unknown
                    + " that this build does not know: the schema is newer than this version of eventlog;"
                    + " upgrade eventlog or roll the schema back with the newer version");
        }
    }

    private interface LiquibaseWork {
        void run(Liquibase liquibase) throws LiquibaseException;
    }

    private void run(Connection connection, LiquibaseWork work) {
        try {
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
                work.run(liquibase);
            });
        } catch (SchemaException e) {
            throw e;
        } catch (Exception e) {
            throw new SchemaException(store + " could not change its schema with " + changelog + ": "
                    + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    private static List<String> readChangeSetIds(String changelog) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(changelog)) {
            if (in == null) {
                throw new IllegalStateException("changelog " + changelog + " is not on the class path");
            }
            Matcher matcher = CHANGESET.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Set<String> ids = new LinkedHashSet<>();
            while (matcher.find()) {
                ids.add(matcher.group(1) + ":" + matcher.group(2));
            }
            return List.copyOf(ids);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read changelog " + changelog, e);
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
