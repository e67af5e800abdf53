package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.EventKind;
import dev.eventlog.SchemaException;
import dev.eventlog.jdbc.SchemaMigrator;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema creation and change that survive what happens to them in the field: processes that all
 * create a new file at once, a process killed in the middle of a change, another application's
 * tables in the file, and a rollback asked of a schema this build does not fully know. Real child
 * JVMs, real files; each test prints the counts it checks.
 */
class SqliteSchemaTrustTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(180);
    private static final int PROCESSES = 8;

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

    private void execute(String... sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement statement = connection.createStatement()) {
            for (String one : sql) {
                statement.execute(one);
            }
        }
    }

    @Test
    void eightProcessesCreatingANewFileAtOnceEachStoreTheirEvent() throws Exception {
        Path start = dir.resolve("start");
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                children.add(ChildJvm.start(dir.resolve("child-" + i + ".err"), "first", db().toString(),
                        start.toString()));
            }
            for (ChildJvm child : children) {
                child.awaitLine("READY", CHILD_TIMEOUT);
            }
            Files.createFile(start);
            List<Integer> exits = new ArrayList<>();
            Set<UUID> acked = new HashSet<>();
            for (ChildJvm child : children) {
                exits.add(child.waitFor(CHILD_TIMEOUT));
                acked.addAll(child.acks());
            }
            long rows;
            try (SqliteEventStore store = SqliteEventStore.open(db())) {
                rows = store.count(EventQuery.all()).get(EventKind.ACTIVITY);
                System.out.printf("[sqlite first use] processes=%d exit codes=%s acked=%d rows=%d change sets=%d%n",
                        PROCESSES, exits, acked.size(), rows, store.appliedChangeSets().size());
                assertThat(store.appliedChangeSets()).isNotEmpty();
                assertThat(store.pendingChangeSets()).isEmpty();
            }
            for (int i = 0; i < PROCESSES; i++) {
                assertThat(exits.get(i)).as(Files.readString(dir.resolve("child-" + i + ".err"))).isZero();
            }
            assertThat(acked).hasSize(PROCESSES);
            assertThat(rows).isEqualTo(PROCESSES);
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    @Test
    void aProcessKilledWhileChangingTheSchemaDoesNotBlockTheNextOpen() throws Exception {
        try (ChildJvm child = ChildJvm.start(dir.resolve("hold.err"), "hold", db().toString())) {
            child.awaitLine(SchemaMigrator.HOLDING, CHILD_TIMEOUT);
            child.kill();
        }
        List<String> tablesAfterKill = query("SELECT name FROM sqlite_master WHERE type = 'table'");

        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            int stored = store.append(SampleEvents.everyKind());
            System.out.printf("[sqlite killed migration] tables left by the killed process=%d; after reopening:"
                    + " change sets=%d lock=%s stored=%d%n", tablesAfterKill.size(),
                    store.appliedChangeSets().size(), store.schemaLock().orElse("free"), stored);
            assertThat(store.appliedChangeSets()).isNotEmpty();
            assertThat(store.pendingChangeSets()).isEmpty();
            assertThat(store.schemaLock()).isEmpty();
            assertThat(stored).isEqualTo(10);
        }
        // The killed change was one transaction: it left no table behind, not even Liquibase's.
        assertThat(tablesAfterKill).isEmpty();
    }

    @Test
    void aStaleLiquibaseLockIsShownClearedAndNeverWaitedFor() throws Exception {
        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            store.rollbackSchema(1);
        }
        // What a process of an older version, or the liquibase tool, killed while changing the schema leaves.
        execute("UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKGRANTED = '2026-01-01 00:00:00', "
                + "LOCKEDBY = 'build-host (10.0.0.9)'");
        String shown;
        try (SqliteEventStore store = SqliteEventStore.open(db(), SqliteOptions.builder()
                .schemaMode(dev.eventlog.spi.SchemaMode.LEAVE).build())) {
            shown = store.schemaLock().orElse("free");
        }

        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            System.out.printf("[sqlite stale lock] shown=%s; after open: pending=%d lock=%s%n", shown,
                    store.pendingChangeSets().size(), store.schemaLock().orElse("free"));
            assertThat(store.pendingChangeSets()).isEmpty();
            assertThat(store.schemaLock()).isEmpty();
        }
        assertThat(shown).contains("build-host (10.0.0.9)", "stale");

        execute("UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKEDBY = 'elsewhere'");
        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            assertThat(store.clearSchemaLock()).hasValueSatisfying(holder -> assertThat(holder).contains("elsewhere"));
            assertThat(store.schemaLock()).isEmpty();
        }
    }

    @Test
    void refusesAFileHoldingAnotherApplicationsTableAndLeavesItAsItWas() throws Exception {
        execute("CREATE TABLE git_events (sha TEXT PRIMARY KEY, pushed_by TEXT)",
                "CREATE TABLE settings (k TEXT, v TEXT)",
                "INSERT INTO git_events VALUES ('abc', 'ana'), ('def', 'bo')",
                "INSERT INTO settings VALUES ('theme', 'dark')");
        List<String> tablesBefore = query("SELECT name FROM sqlite_master ORDER BY name");
        List<String> rowsBefore = query("SELECT sha || '/' || pushed_by FROM git_events ORDER BY sha");

        assertThatThrownBy(() -> SqliteEventStore.open(db()))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("table 'git_events'")
                .hasMessageContaining("nothing was changed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        List<String> tablesAfter = query("SELECT name FROM sqlite_master ORDER BY name");
        List<String> rowsAfter = query("SELECT sha || '/' || pushed_by FROM git_events ORDER BY sha");
        System.out.printf("[sqlite foreign table] objects before=%s after=%s; git_events rows before=%d after=%d%n",
                tablesBefore, tablesAfter, rowsBefore.size(), rowsAfter.size());
        assertThat(tablesAfter).isEqualTo(tablesBefore);
        assertThat(rowsAfter).isEqualTo(rowsBefore).hasSize(2);
        assertThat(query("SELECT v FROM settings")).containsExactly("dark");
    }

    @Test
    void rollbackRefusesASchemaWithAChangeSetThisBuildDoesNotKnowAndChangesNothing() throws Exception {
        SqliteEventStore.open(db()).close();
        execute("INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE) "
                + "VALUES ('add-future-column', 'eventlog', 'future.sql', '2030-01-01', 99, 'EXECUTED')");
        List<String> before = query("SELECT name FROM sqlite_master ORDER BY name");
        int known = query("SELECT ID FROM DATABASECHANGELOG").size() - 1;

        try (SqliteEventStore store = SqliteEventStore.open(db(), SqliteOptions.builder()
                .schemaMode(dev.eventlog.spi.SchemaMode.LEAVE).build())) {
            assertThatThrownBy(() -> store.rollbackSchema(1))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("eventlog:add-future-column")
                    .hasMessageContaining("nothing was changed");
            System.out.printf("[sqlite rollback of a newer schema] applied=%d unknown=%s objects before=%d after=%d%n",
                    store.appliedChangeSets().size(), store.unknownChangeSets(), before.size(),
                    query("SELECT name FROM sqlite_master ORDER BY name").size());
            assertThat(store.appliedChangeSets()).hasSize(known + 1);
        }
        assertThat(query("SELECT name FROM sqlite_master ORDER BY name")).isEqualTo(before);
    }

    @Test
    void rollbackThatWouldDropTablesHoldingRowsSaysHowManyAndNeedsDropRows() throws Exception {
        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            store.append(SampleEvents.everyKind());
            List<String> applied = store.appliedChangeSets();
            // Back to before custom_events was created: every change set from it on, newest first.
            int count = applied.size() - applied.indexOf("eventlog:create-custom_events");
            List<String> expected = new java.util.ArrayList<>(applied.subList(applied.size() - count, applied.size()));
            java.util.Collections.reverse(expected);
            assertThatThrownBy(() -> store.rollbackSchema(count))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("custom_events (1 rows)")
                    .hasMessageContaining("1 rows in all")
                    .hasMessageContaining("--force");
            int appliedAfterRefusal = store.appliedChangeSets().size();
            long rowsAfterRefusal = store.count(EventQuery.all()).values().stream().mapToLong(Long::longValue).sum();

            List<String> rolledBack = store.rollbackSchema(count, true);
            System.out.printf("[sqlite rollback dropping rows] after refusal: change sets=%d rows=%d; with dropRows:"
                    + " rolled back %s%n", appliedAfterRefusal, rowsAfterRefusal, rolledBack);
            assertThat(appliedAfterRefusal).isEqualTo(applied.size());
            assertThat(rowsAfterRefusal).isEqualTo(10);
            assertThat(rolledBack).isEqualTo(expected).endsWith("eventlog:create-custom_events");
        }
        assertThat(query("SELECT name FROM sqlite_master WHERE name = 'custom_events'")).isEmpty();
    }
}
