package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.SchemaException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.SchemaMode;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL schema's creation and change against a process killed in the middle, another
 * application's tables, and a rollback asked of a schema this build does not fully know. A real
 * server, real child JVMs killed with SIGKILL; each test prints the counts it checks.
 */
class PostgresSchemaTrustTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    private static List<String> relations(String schema) throws SQLException {
        return strings("SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ? ORDER BY 1", schema);
    }

    private static List<String> strings(String sql, String parameter) throws SQLException {
        try (Connection admin = db.admin(); PreparedStatement statement = admin.prepareStatement(sql)) {
            statement.setString(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    @Test
    void aProcessKilledWhileChangingTheSchemaDoesNotBlockTheNextOpen() throws Exception {
        String schema = db.newSchemaName();
        SchemaHoldChild.startHoldAndKill(db.url(schema), dir.resolve("hold.err"));
        String lockAfterKill;
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema),
                PostgresOptions.builder().schemaMode(SchemaMode.LEAVE).build())) {
            lockAfterKill = store.schemaLock().orElse("free");
        }

        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            int stored = store.append(SampleEvents.everyKind());
            System.out.printf("[postgres killed migration] lock after the kill: %s; after reopening: change sets=%d"
                    + " lock=%s stored=%d%n", lockAfterKill, store.appliedChangeSets().size(),
                    store.schemaLock().orElse("free"), stored);
            assertThat(store.appliedChangeSets()).isNotEmpty();
            assertThat(store.pendingChangeSets()).isEmpty();
            assertThat(store.schemaLock()).isEmpty();
            assertThat(stored).isEqualTo(10);
        }
        // The killed process held Liquibase's lock row; no live session held the advisory lock.
        assertThat(lockAfterKill).contains("stale");
    }

    @Test
    void aStaleLockIsClearedOnlyByUnlockOrTheNextChange() throws Exception {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            db.execute("UPDATE " + schema + ".databasechangeloglock SET locked = TRUE, lockedby = 'ci-runner (10.1.2.3)',"
                    + " lockgranted = '2026-01-01 00:00:00'");
            String shown = store.schemaLock().orElse("free");
            String cleared = store.clearSchemaLock().orElse("none");
            System.out.printf("[postgres stale lock] shown=%s cleared=%s now=%s%n", shown, cleared,
                    store.schemaLock().orElse("free"));
            assertThat(shown).contains("ci-runner (10.1.2.3)", "stale");
            assertThat(cleared).contains("ci-runner (10.1.2.3)");
            assertThat(store.schemaLock()).isEmpty();
        }
    }

    @Test
    void refusesASchemaHoldingAnotherApplicationsTableAndLeavesItAsItWas() throws Exception {
        String schema = db.newSchema();
        db.execute("CREATE TABLE " + schema + ".git_events (sha text PRIMARY KEY, pushed_by text)",
                "INSERT INTO " + schema + ".git_events VALUES ('abc', 'ana'), ('def', 'bo')");
        List<String> before = relations(schema);

        assertThatThrownBy(() -> PostgresEventStore.open(db.url(schema)))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("table 'git_events'")
                .hasMessageContaining("nothing was changed");

        List<String> after = relations(schema);
        List<String> rows = strings("SELECT sha || '/' || pushed_by FROM " + schema + ".git_events WHERE sha <> ?"
                + " ORDER BY 1", "");
        System.out.printf("[postgres foreign table] relations before=%s after=%s; git_events rows=%s%n", before, after,
                rows);
        assertThat(after).isEqualTo(before);
        assertThat(rows).containsExactly("abc/ana", "def/bo");
    }

    @Test
    void rollbackRefusesAChangeSetThisBuildDoesNotKnowAndRowsWithoutDropRows() throws Exception {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            store.append(SampleEvents.everyKind());
            int applied = store.appliedChangeSets().size();
            // Back to before custom_events was created: this would drop its row.
            int count = applied - store.appliedChangeSets().indexOf("eventlog:create-custom_events");
            assertThatThrownBy(() -> store.rollbackSchema(count))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("custom_events (1 rows)");
            db.execute("INSERT INTO " + schema + ".databasechangelog (id, author, filename, dateexecuted, orderexecuted,"
                    + " exectype) VALUES ('add-future-column', 'eventlog', 'future.sql', now(), 99, 'EXECUTED')");
            assertThatThrownBy(() -> store.rollbackSchema(1))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("eventlog:add-future-column");
            long rows = store.count(EventQuery.all()).values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("[postgres refused rollbacks] change sets before=%d after=%d rows=%d%n", applied,
                    store.appliedChangeSets().size(), rows);
            assertThat(store.appliedChangeSets()).hasSize(applied + 1);
            assertThat(rows).isEqualTo(10);
        }
    }
}
