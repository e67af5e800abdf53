package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.SchemaException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.spi.SchemaMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSchemaTest {
    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("events.db");
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private Set<String> userTables() throws SQLException {
        return new TreeSet<>(query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                + " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'DATABASECHANGELOG%'"));
    }

    @Test
    void createsTheTablesColumnsIndexesAndViewsOfTheCatalogue() throws SQLException {
        SqliteEventStore.open(db()).close();

        for (EventKind kind : EventKind.values()) {
            List<String> columns = query("SELECT name FROM pragma_table_info('" + kind.table() + "') ORDER BY cid");
            List<String> expected = new ArrayList<>(List.of("id", "ts", "session_id", "source", "attributes"));
            kind.fields().stream().map(EventField::name).forEach(expected::add);
            assertThat(columns).as(kind.table()).isEqualTo(expected);
            assertThat(query("SELECT name FROM pragma_index_list('" + kind.table() + "')"))
                    .as(kind.table()).contains("idx_" + kind.table() + "_ts");
            assertThat(query("SELECT name FROM sqlite_master WHERE type = 'view' AND name = '"
                    + kind.table() + "_view'")).hasSize(1);
        }
        assertThat(query("SELECT name FROM pragma_index_list('self_heal_events')")).contains(
                "idx_self_heal_events_analytics", "idx_self_heal_events_success", "idx_self_heal_events_severity");
        assertThat(query("SELECT name FROM sqlite_master WHERE type = 'view' AND name LIKE 'analytics_%' ORDER BY name"))
                .containsExactly("analytics_event_days_view", "analytics_git_commits_view", "analytics_recovery_view",
                        "analytics_routing_matrix_view", "analytics_routing_view", "analytics_self_heal_view", "analytics_session_view",
                        "analytics_tool_use_view");
        assertThat(query("PRAGMA journal_mode")).containsExactly("wal");
    }

    @Test
    void viewsShowIsoTimesForPeopleUsingTheShell() throws SQLException {
        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            store.append(SampleEvents.everyKind());
        }

        assertThat(query("SELECT ts FROM git_events_view")).containsExactly("2026-01-28T06:00:00.123Z");
        assertThat(query("SELECT ts FROM git_events")).containsExactly(
                String.valueOf(SampleEvents.T0.toEpochMilli()));
    }

    @Test
    void rollingBackEveryChangeSetLeavesNoTableAndUpdatingRestoresThem() throws SQLException {
        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            int applied = store.appliedChangeSets().size();
            assertThat(applied).isEqualTo(19);

            store.rollbackSchema(applied);
            assertThat(userTables()).isEmpty();
            assertThat(store.pendingChangeSets()).hasSize(applied);

            store.updateSchema();
            assertThat(store.pendingChangeSets()).isEmpty();
            store.append(SampleEvents.everyKind());
            assertThat(store.count(EventQuery.all()).values()).allMatch(n -> n == 1L);
        }
        assertThat(userTables()).hasSize(43); // 10 tables of events, 22 views, the follow checkpoints, the session and workflow summaries, the marks and the dirty list, the 4 analytics day summaries, their marks and their dirty list
    }

    @Test
    void opensAnUpToDateFileWithoutWaitingForLiquibasesLock() throws SQLException {
        SqliteEventStore.open(db()).close();
        // Another process in the middle of a migration holds the lock; an up-to-date store must not wait for it.
        execute("UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKGRANTED = '2026-01-01 00:00:00', "
                + "LOCKEDBY = 'elsewhere'");

        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            assertThat(store.append(SampleEvents.everyKind())).isEqualTo(10);
        }
    }

    @Test
    void openingLeavingTheSchemaShowsPendingAndUnknownChangeSetsWithoutChangingThem() throws SQLException {
        int all;
        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            all = store.appliedChangeSets().size();
            store.rollbackSchema(2);
        }
        execute("INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE) "
                + "VALUES ('add-future-column', 'eventlog', 'future.sql', '2030-01-01', 99, 'EXECUTED')");

        try (SqliteEventStore store = SqliteEventStore.open(db(), SqliteOptions.builder().schemaMode(SchemaMode.LEAVE).build())) {
            assertThat(store.pendingChangeSets()).hasSize(2);
            assertThat(store.unknownChangeSets()).containsExactly("eventlog:add-future-column");
        }
        assertThat(query("SELECT COUNT(*) FROM DATABASECHANGELOG")).containsExactly(String.valueOf(all - 2 + 1));
    }

    @Test
    void refusesAFileWhoseSchemaIsNewerThanThisBuild() throws SQLException {
        SqliteEventStore.open(db()).close();
        execute("INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE) "
                + "VALUES ('add-future-column', 'eventlog', 'future.sql', '2030-01-01', 99, 'EXECUTED')");

        assertThatThrownBy(() -> SqliteEventStore.open(db()))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("eventlog:add-future-column")
                .hasMessageContaining("newer");
    }

    @Test
    void validateOnlyRefusesAFileMissingChangeSetsAndNamesThem() throws SQLException {
        SqliteOptions validateOnly = SqliteOptions.builder().schemaMode(SchemaMode.VALIDATE).build();

        assertThatThrownBy(() -> SqliteEventStore.open(db(), validateOnly))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("eventlog:create-git_events")
                .hasMessageContaining("validate only");
        assertThat(userTables()).isEmpty();
    }

    @Test
    void validateOnlyOpensAnUpToDateFile() {
        SqliteEventStore.open(db()).close();

        try (SqliteEventStore store = SqliteEventStore.open(db(), SqliteOptions.builder().schemaMode(SchemaMode.VALIDATE).build())) {
            assertThat(store.append(SampleEvents.everyKind())).isEqualTo(10);
        }
    }

    @Test
    void createsANewFileReadableByItsOwnerOnly() throws Exception {
        SqliteEventStore.open(db()).close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db()))).isEqualTo("rw-------");
    }

    @Test
    void rejectsInvalidOptionsNamingEverySetting() {
        assertThatThrownBy(() -> SqliteOptions.builder().busyTimeoutMs(-1).synchronous("sometimes").build())
                .hasMessageContaining("busyTimeoutMs was '-1' but it must be zero or more")
                .hasMessageContaining("synchronous was 'SOMETIMES' but it must be OFF, NORMAL or FULL");
    }
}
