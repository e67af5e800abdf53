package dev.eventlog.postgres;

import dev.eventlog.jdbc.SchemaMigrator;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The script that gives a new, empty PostgreSQL schema this jar's changelog without running
 * Liquibase, which costs seconds on a first open: Liquibase itself rendered it when the jar was
 * built ({@code update} against an offline PostgreSQL database, the SQL it would run), shipped as
 * the resource {@value #RESOURCE}. It creates Liquibase's lock and history tables as Liquibase
 * does, then runs every change set's SQL and records each change set with the checksum Liquibase
 * computed, so Liquibase agrees with the schema afterwards ({@code status} finds nothing pending,
 * and a later change set applies on top as on a schema it built itself).
 *
 * <p>The store runs it in one transaction under the schema's advisory lock, only on a schema that
 * holds no relation at all; a failure rolls it back and the store runs Liquibase as before. The
 * schema change test hook ({@link SchemaMigrator#HOLD_PROPERTY}) exercises Liquibase's path, so
 * the script is not used while it is set.
 *
 * <p>{@link #main(String[])} renders the script; the build runs it in {@code process-classes}.
 */
public final class PostgresTemplate {
    /** The class path resource of the script. */
    public static final String RESOURCE = "dev/eventlog/postgres/template/schema.sql";
    /** What the script holds in place of the deployment id, replaced by a new one each time it runs. */
    static final String DEPLOYMENT_ID = "{{DEPLOYMENT_ID}}";
    private static final Pattern HISTORY_ROW = Pattern.compile(
            "(?m)^(INSERT INTO databasechangelog \\(.*\\) VALUES \\(.*, NOW\\(\\), )(\\d+)(, .*, ')(\\d+)('\\);)$");
    private static volatile String script;

    private PostgresTemplate() {
    }

    /**
     * Renders the script to {@code args[0]}: Liquibase's lock table and its row, then what its
     * {@code update} of this jar's changelog would run on an empty PostgreSQL schema, with the
     * history rows numbered 1, 2, … in order (as a real run numbers them) and the deployment id
     * left for the run to fill in.
     *
     * @throws IllegalStateException when Liquibase's output is not what this class expects
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: PostgresTemplate <file to write>");
        }
        if (System.getProperty("liquibase.analytics.enabled") == null) {
            System.setProperty("liquibase.analytics.enabled", "false");
        }
        java.util.logging.Logger.getLogger("liquibase").setLevel(java.util.logging.Level.WARNING);
        // Liquibase keeps the offline database's history in this file; a new one means an empty
        // database, so the script creates the history table too.
        Path history = Files.createTempDirectory("eventlog-template").resolve("history.csv");
        liquibase.resource.ClassLoaderResourceAccessor resources = new liquibase.resource.ClassLoaderResourceAccessor(
                PostgresTemplate.class.getClassLoader());
        liquibase.database.Database database = liquibase.database.DatabaseFactory.getInstance()
                .findCorrectDatabaseImplementation(new liquibase.database.OfflineConnection(
                        "offline:postgresql?outputLiquibaseSql=all&changeLogFile=" + history, resources));
        StringBuilder out = new StringBuilder();
        out.append("-- Rendered by Liquibase ").append(liquibase.util.LiquibaseUtil.getBuildVersion())
                .append(" from ").append(PostgresEventStore.CHANGELOG)
                .append(" when this jar was built (PostgresTemplate); run in one transaction on an empty schema.\n");
        liquibase.sqlgenerator.SqlGeneratorFactory generators = liquibase.sqlgenerator.SqlGeneratorFactory.getInstance();
        for (liquibase.statement.SqlStatement statement : new liquibase.statement.SqlStatement[] {
                new liquibase.statement.core.CreateDatabaseChangeLogLockTableStatement(),
                new liquibase.statement.core.InitializeDatabaseChangeLogLockTableStatement()}) {
            for (liquibase.sql.Sql sql : generators.generateSql(statement, database)) {
                out.append(sql.toSql()).append(";\n");
            }
        }
        @SuppressWarnings("resource")
        liquibase.Liquibase liquibase = new liquibase.Liquibase(PostgresEventStore.CHANGELOG, resources, database);
        StringWriter update = new StringWriter();
        liquibase.update(new liquibase.Contexts(), new liquibase.LabelExpression(), update);
        StringBuilder body = new StringBuilder();
        for (String line : update.toString().split("\n", -1)) {
            // The header's run time and offline URL would make every build's jar differ.
            if (!line.startsWith("-- Ran at:") && !line.startsWith("-- Against:")) {
                body.append(line).append('\n');
            }
        }
        Matcher row = HISTORY_ROW.matcher(body);
        StringBuilder numbered = new StringBuilder();
        int order = 0;
        while (row.find()) {
            order++;
            row.appendReplacement(numbered, Matcher.quoteReplacement(row.group(1) + order + row.group(3)
                    + DEPLOYMENT_ID + row.group(5)));
        }
        row.appendTail(numbered);
        int changeSets = new SchemaMigrator(PostgresEventStore.CHANGELOG, "template", null).expected().size();
        if (order != changeSets || !numbered.toString().contains("CREATE TABLE databasechangelog (")) {
            throw new IllegalStateException("Liquibase's offline update recorded " + order + " of " + changeSets
                    + " change sets, or created no history table: the template would not match its changelog");
        }
        out.append(numbered);
        Files.deleteIfExists(history);
        Files.deleteIfExists(history.getParent());
        Path target = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path building = target.resolveSibling(target.getFileName() + ".building");
        Files.writeString(building, out, StandardCharsets.UTF_8);
        Files.move(building, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The script, or {@code null} when the jar has none (a build that skipped rendering it). */
    static String script() {
        String loaded = script;
        if (loaded == null) {
            try (InputStream in = PostgresTemplate.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    return null;
                }
                loaded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
            script = loaded;
        }
        return loaded;
    }

    /**
     * Gives {@code connection}'s schema (its {@code search_path}, set by the caller, who holds the
     * schema's advisory lock) the changelog in one transaction, when the schema holds no relation.
     *
     * @return whether it did; {@code false} when the schema is not empty, the script is missing,
     *     the test hook is set, or the script failed (rolled back; the caller runs Liquibase, which
     *     reports what is wrong)
     */
    static boolean apply(Connection connection, String schema) throws SQLException {
        String sql = script();
        if (sql == null || System.getProperty(SchemaMigrator.HOLD_PROPERTY) != null || !empty(connection, schema)) {
            return false;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        boolean done = false;
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql.replace(DEPLOYMENT_ID, deploymentId()));
            connection.commit();
            done = true;
            return true;
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(PostgresTemplate.class).debug(
                    "schema '{}' not created from the template ({}); Liquibase creates it", schema, e.getMessage());
            return false;
        } finally {
            if (!done) {
                connection.rollback();
            }
            connection.setAutoCommit(autoCommit);
        }
    }

    /** As Liquibase makes one: the last ten digits of the clock's milliseconds. */
    private static String deploymentId() {
        String millis = Long.toString(System.currentTimeMillis());
        return millis.substring(Math.max(0, millis.length() - 10));
    }

    private static boolean empty(Connection connection, String schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?)"
                + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = p.pronamespace WHERE n.nspname = ?)")) {
            statement.setString(1, schema);
            statement.setString(2, schema);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }
}
