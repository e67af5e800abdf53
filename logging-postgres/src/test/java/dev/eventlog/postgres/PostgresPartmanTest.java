package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.Retention;
import dev.eventlog.migrate.RetentionReport;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partitioned store handed to pg_partman (README, "pg_partman"), on a database of its own with the
 * extension installed; skipped with a reason where the server has no pg_partman package, failed
 * instead under {@code EVENTLOG_REQUIRE_PG=1}.
 */
class PostgresPartmanTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** 180 days before this is 2026-03-19: the January and February partitions lie before it. */
    static final Instant NOW = Instant.parse("2026-09-15T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aStoreHandedToPgPartmanIsLeftToItsMaintenanceAndRetentionDropsThePartitionsItNamed() throws Exception {
        String url = TestDatabase.withParameter(partmanDatabase(), "currentSchema=events");
        List<Event> old = new ArrayList<>(tools("2026-01-10T00:00:00Z", 100));
        old.addAll(tools("2026-02-10T00:00:00Z", 100));
        List<Event> young = tools(Instant.now().minus(Duration.ofHours(1)).toString(), 10);
        try (PostgresEventStore store = PostgresEventStore.open(url,
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            store.append(old);
            store.append(young);
            store.maintainPartitions();

            List<String> registered = store.registerWithPartman();

            assertThat(registered).hasSize(EventKind.values().length)
                    .anyMatch(line -> line.startsWith("registered tool_events with pg_partman 4."));
            assertThat(store.partmanTables()).hasSize(EventKind.values().length).contains("tool_events");
            assertThat(partitions(url, "tool_events")).contains("tool_events_p2026_01", "tool_events_p2026_02",
                    "tool_events_default").allMatch(name -> name.matches("tool_events_(p\\d{4}_\\d{2}|default)"));
            assertThat(store.registerWithPartman()).as("a second run").isEmpty();
            assertThat(store.maintainPartitions()).as("our maintenance leaves the tables to pg_partman").isEmpty();
        }
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("SELECT partman.run_maintenance()");
        }
        // Opening again finds every interval ahead covered by pg_partman's partitions and creates none of its own.
        try (PostgresEventStore store = PostgresEventStore.open(url,
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            assertThat(partitions(url, "tool_events")).allMatch(name -> name.matches("tool_events_(p\\d{4}_\\d{2}|default)"));
            Path archive = dir.resolve("archive");

            RetentionReport report = Retention.run(store, new Retention.Plan(Map.of(EventKind.TOOL_USE,
                    Duration.ofDays(180)), archive, false, false, NOW), MigrationListener.NONE);

            assertThat(report.kinds().get(0).changes()).containsExactly(
                    "dropped partition tool_events_p2026_01 (100 row(s))",
                    "dropped partition tool_events_p2026_02 (100 row(s))");
            try (Stream<Event> events = store.read(EventQuery.all())) {
                assertThat(events.toList()).containsExactlyElementsOf(SampleEvents.sorted(young));
            }
            assertThat(rows(url, "tool_events_default")).isZero();
        }
    }

    @Test
    void withoutPgPartmanOurMaintenanceWorksAndRegisteringIsRefusedSayingHowToInstallIt() {
        try (PostgresEventStore store = PostgresEventStore.open(db.url(db.newSchemaName()),
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            store.append(tools("2026-01-10T00:00:00Z", 3));

            assertThat(store.partmanTables()).isEmpty();
            assertThatThrownBy(store::registerWithPartman).isInstanceOf(StoreException.class)
                    .hasMessageContaining("pg_partman is not installed in the database")
                    .hasMessageContaining("CREATE EXTENSION pg_partman SCHEMA partman");
            assertThat(store.maintainPartitions()).as("our own maintenance").containsExactly(
                    "created tool_events_p20260101; moved 3 row(s) of tool_events_default into tool_events_p20260101");
        }
    }

    /** A new database with pg_partman installed in schema {@code partman}. */
    private static String partmanDatabase() throws SQLException {
        boolean available;
        try (Connection admin = db.admin(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM pg_catalog.pg_available_extensions WHERE name = 'pg_partman'")) {
            rows.next();
            available = rows.getLong(1) > 0;
        }
        if (!available) {
            String reason = "pg_partman is not available on this PostgreSQL server (Debian package"
                    + " postgresql-15-partman), so its test cannot run";
            if ("1".equals(System.getenv("EVENTLOG_REQUIRE_PG"))) {
                throw new AssertionError("EVENTLOG_REQUIRE_PG=1 but " + reason);
            }
            Assumptions.abort(reason);
        }
        String url = db.newDatabaseUrl();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA partman");
            statement.execute("CREATE EXTENSION pg_partman SCHEMA partman");
        }
        return url;
    }

    private static List<String> partitions(String url, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT c.relname FROM pg_catalog.pg_inherits i"
                        + " JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events." + table
                        + "'::regclass ORDER BY 1")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static long rows(String url, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM events." + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<Event> tools(String start, int count) {
        Instant first = Instant.parse(start);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(ToolUseEvent.builder().ts(first.plusSeconds(60L * i)).toolName("t" + i % 3).success(true)
                    .build());
        }
        return events;
    }
}
