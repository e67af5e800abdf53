package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.SchemaException;
import dev.eventlog.jdbc.SchemaMigrator;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new schema created from the script Liquibase rendered at build time ({@link PostgresTemplate})
 * is the schema Liquibase builds, and Liquibase agrees with it afterwards.
 */
class PostgresTemplateTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void theJarShipsTheScriptWithEveryChangeSet() {
        String script = PostgresTemplate.script();
        assertThat(script).isNotNull();
        for (String id : new SchemaMigrator(PostgresEventStore.CHANGELOG, "test", null).expected()) {
            assertThat(script).contains("VALUES ('" + id.substring(id.indexOf(':') + 1) + "', '"
                    + id.substring(0, id.indexOf(':')) + "', ");
        }
    }

    @Test
    void aSchemaFromTheScriptIsTheSchemaLiquibaseBuilds() throws Exception {
        String fromTemplate = db.newSchemaName();
        PostgresEventStore.open(db.url(fromTemplate)).close();
        String byLiquibase = db.newSchema();
        try (Connection connection = schemaConnection(byLiquibase)) {
            new SchemaMigrator(PostgresEventStore.CHANGELOG, "test", byLiquibase).update(connection);
        }
        Map<String, List<String>> template = catalog(fromTemplate);
        Map<String, List<String>> liquibase = catalog(byLiquibase);
        for (String part : liquibase.keySet()) {
            assertThat(template.get(part)).as(part).isNotEmpty().containsExactlyElementsOf(liquibase.get(part));
        }
    }

    @Test
    void liquibaseFindsNothingPendingAndAppliesALaterChangeSetOnTop() throws Exception {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            store.append(SampleEvents.everyKind());
        }
        // The changelog as a later version would ship it: the same file with one change set more.
        Path changelog = dir.resolve(PostgresEventStore.CHANGELOG);
        Files.createDirectories(changelog.getParent());
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(PostgresEventStore.CHANGELOG)) {
            Files.writeString(changelog, new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    + "\n--changeset eventlog:later-change\nCREATE TABLE later_change (id bigint PRIMARY KEY);\n"
                    + "--rollback DROP TABLE later_change;\n");
        }
        try (Connection connection = schemaConnection(schema)) {
            assertThat(new SchemaMigrator(PostgresEventStore.CHANGELOG, "test", schema).unrun(connection)).isEmpty();
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            database.setDefaultSchemaName(schema);
            database.setLiquibaseSchemaName(schema);
            @SuppressWarnings("resource")
            Liquibase liquibase = new Liquibase(PostgresEventStore.CHANGELOG, new DirectoryResourceAccessor(dir),
                    database);
            assertThat(liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression()))
                    .extracting(changeSet -> changeSet.getId()).containsExactly("later-change");
            // update validates every applied change set's checksum first
            liquibase.update(new Contexts(), new LabelExpression());
            assertThat(liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression())).isEmpty();
            assertThat(rows(connection, "SELECT count(*) FROM later_change")).containsExactly("0");
            assertThat(rows(connection, "SELECT id || ' ' || orderexecuted FROM databasechangelog"
                    + " ORDER BY orderexecuted DESC LIMIT 1")).containsExactly("later-change 21");
            assertThat(rows(connection, "SELECT count(*) > 0 FROM tool_events")).containsExactly("t");
        }
    }

    @Test
    void aSchemaHoldingAnotherApplicationsTableIsLeftToLiquibasesChecks() throws Exception {
        String schema = db.newSchema();
        db.execute("CREATE TABLE " + schema + ".git_events (x int)");
        assertThatThrownBy(() -> PostgresEventStore.open(db.url(schema)).close())
                .isInstanceOf(SchemaException.class).hasMessageContaining("that eventlog did not create");
        try (Connection connection = schemaConnection(schema)) {
            assertThat(rows(connection, "SELECT relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"))
                    .containsExactly("git_events");
        }
    }

    @Test
    void aSecondOpenOfATemplateSchemaChangesNothing() throws Exception {
        String schema = db.newSchemaName();
        PostgresEventStore.open(db.url(schema)).close();
        List<String> before;
        try (Connection connection = schemaConnection(schema)) {
            before = rows(connection, "SELECT id || ' ' || deployment_id || ' ' || dateexecuted FROM databasechangelog"
                    + " ORDER BY orderexecuted");
        }
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            assertThat(store.pendingChangeSets()).isEmpty();
        }
        try (Connection connection = schemaConnection(schema)) {
            assertThat(rows(connection, "SELECT id || ' ' || deployment_id || ' ' || dateexecuted FROM databasechangelog"
                    + " ORDER BY orderexecuted")).isEqualTo(before).hasSize(20);
        }
    }

    private static Connection schemaConnection(String schema) throws SQLException {
        Connection connection = DriverManager.getConnection(db.url(schema));
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
        }
        return connection;
    }

    /** What the catalog says of {@code schema}, its name written as {@code S}, part by part, sorted. */
    private static Map<String, List<String>> catalog(String schema) throws SQLException {
        Map<String, String> queries = Map.of(
                "relations", "SELECT concat_ws(' ', c.relname, c.relkind, c.relpersistence, c.relispartition)"
                        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = ?",
                "columns", "SELECT table_name || '.' || column_name || ' ' || ordinal_position || ' ' || data_type"
                        + " || ' ' || coalesce(character_maximum_length::text, '-') || ' ' || is_nullable || ' '"
                        + " || coalesce(column_default, '-') FROM information_schema.columns WHERE table_schema = ?",
                "indexes", "SELECT indexname || ' ' || indexdef FROM pg_catalog.pg_indexes WHERE schemaname = ?",
                "constraints", "SELECT concat_ws(' ', c.conname, c.contype, pg_catalog.pg_get_constraintdef(c.oid))"
                        + " FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace"
                        + " WHERE n.nspname = ?",
                "views", "SELECT viewname || ' ' || definition FROM pg_catalog.pg_views WHERE schemaname = ?",
                "functions", "SELECT pg_catalog.pg_get_functiondef(p.oid) FROM pg_catalog.pg_proc p"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?",
                "history", "SELECT concat_ws(' ', id, author, filename, orderexecuted, exectype, md5sum, description,"
                        + " '[' || comments || ']', tag, liquibase, contexts, labels) FROM S.databasechangelog",
                "lock", "SELECT concat_ws(' ', id, locked, lockgranted, lockedby) FROM S.databasechangeloglock");
        Map<String, List<String>> catalog = new java.util.TreeMap<>();
        try (Connection connection = DriverManager.getConnection(db.url(schema))) {
            for (Map.Entry<String, String> query : queries.entrySet()) {
                String sql = query.getValue().replace("S.", schema + ".");
                List<String> rows = new ArrayList<>();
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    if (sql.contains("?")) {
                        statement.setString(1, schema);
                    }
                    try (ResultSet result = statement.executeQuery()) {
                        while (result.next()) {
                            rows.add(result.getString(1).replace(schema, "S"));
                        }
                    }
                }
                rows.sort(null);
                catalog.put(query.getKey(), rows);
            }
        }
        return catalog;
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
