package dev.eventlog.postgres;

import dev.eventlog.testkit.TestDatabase;
import dev.eventlog.spi.SchemaMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.ConfigurationException;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.SchemaException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import dev.eventlog.testkit.SampleEvents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSchemaTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final Map<EventKind, List<String>> CATALOGUE_INDEXES = Map.of(
            EventKind.GIT, List.of("ts", "event_type", "repo", "branch"),
            EventKind.SELF_HEAL, List.of("ts", "error_pattern", "success", "severity"),
            EventKind.RECOVERY, List.of("ts", "error_type", "success", "recovery_strategy"),
            EventKind.ROUTING_METRIC, List.of("ts", "accuracy", "predicted_model"),
            EventKind.SESSION_OUTCOME, List.of("ts", "session_id", "outcome"),
            EventKind.TOOL_USE, List.of("ts", "tool_name", "session_id"),
            EventKind.ACTIVITY, List.of("ts", "activity_type"),
            EventKind.COORDINATOR, List.of("ts", "agent_id", "action"),
            EventKind.EXPERTISE_ROUTING, List.of("ts", "domain", "chosen_model"),
            EventKind.CUSTOM, List.of("ts", "kind"));

    @Test
    void createsEveryTableWithTheCatalogueColumnsAndTypes() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            Map<String, String> columns = describe(schema, """
                    SELECT table_name || '.' || column_name, data_type || CASE is_nullable WHEN 'NO' THEN ' not null'
                    ELSE '' END FROM information_schema.columns WHERE table_schema = ?""");
            for (EventKind kind : EventKind.values()) {
                String t = kind.table() + ".";
                assertThat(columns).containsEntry(t + "id", "uuid not null")
                        .containsEntry(t + "ts", "timestamp with time zone not null")
                        .containsEntry(t + "session_id", "text").containsEntry(t + "source", "text")
                        .containsEntry(t + "attributes", "jsonb not null");
                for (EventField field : kind.fields()) {
                    assertThat(columns).containsEntry(t + field.name(), switch (field.type()) {
                        case TEXT -> "text";
                        case INTEGER -> "bigint";
                        case REAL -> "double precision";
                        case BOOLEAN -> "boolean";
                        case TEXT_LIST -> "jsonb";
                    });
                }
            }
        }
    }

    @Test
    void indexesWhatTheSpecSaysWithAGinIndexOnAttributesAndTheIdAsPrimaryKey() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            Map<String, String> indexes = describe(schema,
                    "SELECT indexname, indexdef FROM pg_catalog.pg_indexes WHERE schemaname = ?");
            for (EventKind kind : EventKind.values()) {
                assertThat(indexes).containsKey(kind.table() + "_pkey");
                assertThat(indexes.get(kind.table() + "_pkey")).contains("UNIQUE").contains("(id)");
                for (String column : CATALOGUE_INDEXES.get(kind)) {
                    // An index leading with the column serves it too (the analytics index on tool_name does).
                    String on = "." + kind.table() + " USING btree (" + column;
                    assertThat(indexes.values()).as("%s indexed on %s", kind.table(), column)
                            .anyMatch(def -> def.contains(on + ")") || def.contains(on + ","));
                }
                assertThat(indexes.get("idx_" + kind.table() + "_attributes")).contains("USING gin (attributes)");
            }
        }
    }

    @Test
    void viewsShowTimesAsIsoTextInUtc() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            store.append(SampleEvents.everyKind());
            try (Connection admin = db.admin(); PreparedStatement statement = admin.prepareStatement(
                    "SELECT ts, repo FROM " + schema + ".git_events_view")) {
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("2026-01-28T06:00:00.123Z");
                    assertThat(rows.getString(2)).isEqualTo("claude-home");
                }
            }
            for (EventKind kind : EventKind.values()) {
                assertThat(db.rows(schema, kind.table() + "_view")).isEqualTo(1);
            }
        }
    }

    @Test
    void rollingBackEveryChangeSetEmptiesTheSchemaAndUpdatingRestoresIt() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            Map<String, String> before = objects(schema);
            int applied = store.appliedChangeSets().size();

            store.rollbackSchema(applied);

            assertThat(objects(schema).keySet()).containsOnly("databasechangelog", "databasechangeloglock",
                    "databasechangeloglock_pkey");
            assertThat(store.appliedChangeSets()).isEmpty();
            assertThat(store.pendingChangeSets()).hasSize(applied);

            store.updateSchema();

            assertThat(objects(schema)).isEqualTo(before);
            assertThat(store.pendingChangeSets()).isEmpty();
            assertThat(store.append(SampleEvents.everyKind())).isEqualTo(EventKind.values().length);
        }
    }

    @Test
    void validateOnlyAgainstASchemaMissingAChangeSetFailsNamingIt() {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            store.rollbackSchema(1);
        }
        PostgresOptions validateOnly = PostgresOptions.builder().schemaMode(SchemaMode.VALIDATE).build();

        assertThatThrownBy(() -> PostgresEventStore.open(db.url(schema), validateOnly))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("eventlog:create-analytics-rollup")
                .hasMessageContaining("validate only")
                .hasMessageContaining(schema);
    }

    @Test
    void validateOnlyDoesNotCreateAMissingSchema() throws SQLException {
        String schema = db.newSchemaName();
        PostgresOptions validateOnly = PostgresOptions.builder().schemaMode(SchemaMode.VALIDATE).build();

        assertThatThrownBy(() -> PostgresEventStore.open(db.url(schema), validateOnly))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("schema '" + schema + "' does not exist");
        assertThat(schemaExists(schema)).isFalse();
    }

    @Test
    void createsTheSchemaNamedInTheUrlAndKeepsEverythingInIt() throws SQLException {
        String schema = db.newSchemaName();

        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            store.append(SampleEvents.everyKind());
            assertThat(store.schema()).isEqualTo(schema);
        }

        assertThat(schemaExists(schema)).isTrue();
        assertThat(db.rows(schema, "git_events")).isEqualTo(1);
    }

    @Test
    void takesTheSchemaFromTheOptionsWhenTheUrlNamesNone() throws SQLException {
        String schema = db.newSchemaName();

        try (PostgresEventStore store = PostgresEventStore.open(db.serverUrl(),
                PostgresOptions.builder().schema(schema).build())) {
            store.append(SampleEvents.everyKind());
            assertThat(store.count(EventQuery.all()).get(EventKind.GIT)).isEqualTo(1);
        }

        assertThat(db.rows(schema, "git_events")).isEqualTo(1);
    }

    @Test
    void refusesASchemaTheOptionsAndTheUrlDisagreeOn() {
        PostgresOptions other = PostgresOptions.builder().schema("elsewhere").build();

        assertThatThrownBy(() -> PostgresEventStore.open(db.url("here"), other))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("schema was 'elsewhere' but it must match the URL's currentSchema 'here'");
    }

    @Test
    void refusesToCreateAMissingSchemaWhenToldNotTo() throws SQLException {
        String schema = db.newSchemaName();

        assertThatThrownBy(() -> PostgresEventStore.open(db.url(schema),
                PostgresOptions.builder().createSchema(false).build()))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("schema '" + schema + "' does not exist");
        assertThat(schemaExists(schema)).isFalse();
    }

    @Test
    void schemaToolsOpenAMissingSchemaWithoutTouchingItAndUpdateCreatesIt() throws SQLException {
        String schema = db.newSchemaName();

        try (EventStore opened = EventStores.open(db.url(schema), StoreOptions.SCHEMA_TOOLS)) {
            PostgresEventStore store = (PostgresEventStore) opened;
            assertThat(schemaExists(schema)).isFalse();
            assertThat(store.appliedChangeSets()).isEmpty();
            assertThat(store.pendingChangeSets()).isNotEmpty();

            store.updateSchema();

            assertThat(store.pendingChangeSets()).isEmpty();
            assertThat(store.unknownChangeSets()).isEmpty();
            assertThat(store.append(SampleEvents.everyKind())).isEqualTo(EventKind.values().length);
        }
        assertThat(schemaExists(schema)).isTrue();
    }

    @Test
    void refusesASchemaNewerThanThisBuild() {
        String schema = db.newSchemaName();
        PostgresEventStore.open(db.url(schema)).close();
        db.execute("INSERT INTO " + schema + ".databasechangelog (id, author, filename, dateexecuted, orderexecuted,"
                + " exectype, md5sum) VALUES ('add-a-later-column', 'eventlog', '" + PostgresEventStore.CHANGELOG
                + "', now(), 100, 'EXECUTED', '9:0')");

        assertThatThrownBy(() -> PostgresEventStore.open(db.url(schema)))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("eventlog:add-a-later-column")
                .hasMessageContaining("newer");
        try (PostgresEventStore tools = PostgresEventStore.open(db.url(schema), PostgresOptions.builder().schemaMode(SchemaMode.LEAVE).build())) {
            assertThat(tools.unknownChangeSets()).containsExactly("eventlog:add-a-later-column");
        }
    }

    /** Every relation of the schema (tables, indexes, views, sequences) with its kind. */
    private static Map<String, String> objects(String schema) throws SQLException {
        return describe(schema, """
                SELECT c.relname, c.relkind::text FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?""");
    }

    private static Map<String, String> describe(String schema, String sql) throws SQLException {
        Map<String, String> described = new TreeMap<>();
        try (Connection admin = db.admin(); PreparedStatement statement = admin.prepareStatement(sql)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    described.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return described;
    }

    private static boolean schemaExists(String schema) throws SQLException {
        return !describe(schema, "SELECT nspname, nspname FROM pg_catalog.pg_namespace WHERE nspname = ?").isEmpty();
    }
}
