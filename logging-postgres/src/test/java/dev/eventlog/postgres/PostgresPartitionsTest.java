package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.Ids;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.TimePartitioned;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Time partitions of the PostgreSQL store (README, "PostgreSQL at scale"). */
class PostgresPartitionsTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void aNewStoreOpenedWithPartitionsInItsUrlIsPartitionedAheadAndRollsBackToNothing() throws SQLException {
        String schema = db.newSchemaName();
        try (EventStore store = EventStores.open(TestDatabase.withParameter(db.url(schema), "partitions=week"))) {
            TimePartitioned partitions = store.capability(TimePartitioned.class).orElseThrow();
            assertThat(partitions.partitionInterval()).contains("week");
            LocalDate monday = PartitionInterval.WEEK.start(Instant.now());
            for (EventKind kind : EventKind.values()) {
                assertThat(db.relkind(schema, kind.table())).as(kind.table()).isEqualTo("p");
                assertThat(db.relkind(schema, kind.table() + "_default")).isEqualTo("r");
                for (int week = 0; week <= 3; week++) {
                    assertThat(db.relkind(schema, PartitionInterval.partitionName(kind.table(), monday.plusWeeks(week))))
                            .isEqualTo("r");
                }
            }
            assertThat(store.append(SampleEvents.everyKind())).isEqualTo(10);
            PostgresEventStore postgres = store.capability(PostgresEventStore.class).orElseThrow();
            List<String> rolledBack = postgres.rollbackSchema(postgres.appliedChangeSets().size(), true);
            assertThat(rolledBack).hasSize(postgres.pendingChangeSets().size());
        }
        for (EventKind kind : EventKind.values()) {
            assertThat(db.relkind(schema, kind.table())).isNull();
            assertThat(db.relkind(schema, kind.table() + "_default")).isNull();
        }
    }

    @Test
    void anEventFarOutsideThePartitionsIsKeptAndMaintainMovesItIntoItsOwnPartition() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema),
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            List<Event> events = List.of(tool(Instant.parse("1999-03-05T10:00:00Z"), "old"),
                    tool(Instant.parse("2300-01-31T23:59:59.999Z"), "far"), tool(Instant.now(), "now"));
            assertThat(store.append(events)).isEqualTo(3);
            assertThat(db.rows(schema, "tool_events_default")).isEqualTo(2);

            List<String> done = store.maintainPartitions();

            assertThat(done).containsExactly(
                    "created tool_events_p19990301; moved 1 row(s) of tool_events_default into tool_events_p19990301",
                    "created tool_events_p23000101; moved 1 row(s) of tool_events_default into tool_events_p23000101");
            assertThat(db.rows(schema, "tool_events_default")).isZero();
            assertThat(db.rows(schema, "tool_events_p19990301")).isEqualTo(1);
            assertThat(read(store)).isEqualTo(SampleEvents.sorted(events));
            assertThat(store.append(events)).as("appended again").isZero();
            assertThat(store.maintainPartitions()).isEmpty();
        }
    }

    @Test
    void theSameEventIsTheSameIdAndTime() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema),
                PostgresOptions.builder().partitions(PartitionInterval.DAY).build())) {
            Instant ts = Instant.parse("2026-11-30T12:00:00.250Z");
            Event made = tool(ts, "made");
            assertThat(Ids.epochMillis(made.id())).isEqualTo(ts.toEpochMilli());
            // An id given by the caller whose embedded time is another day: kept as given.
            UUID foreign = Ids.next(Instant.parse("2020-01-01T00:00:00Z").toEpochMilli());
            Event given = ToolUseEvent.builder().id(foreign).ts(ts).toolName("given").success(true).build();
            assertThat(store.append(List.of(made, given))).isEqualTo(2);
            assertThat(store.append(List.of(made, given))).as("the same events again").isZero();
            assertThat(read(store)).extracting(Event::id).containsExactlyInAnyOrder(made.id(), foreign);
            // The same id at another time is another row of a partitioned table (its key is id and ts).
            Event moved = ToolUseEvent.builder().id(foreign).ts(ts.plusSeconds(86_400)).toolName("given").success(true).build();
            assertThat(store.append(List.of(moved))).isEqualTo(1);
            assertThat(db.rows(schema, "tool_events")).isEqualTo(3);
        }
    }

    @Test
    void aStoreHoldingRowsIsPartitionedWithEveryRowOnceAndTheSameAnswers() throws SQLException {
        String schema = db.newSchemaName();
        String url = db.url(schema);
        List<Event> events = new ArrayList<>(SampleEvents.everyKind());
        events.addAll(SampleEvents.activities(50, Instant.parse("2025-12-31T23:59:40Z")));
        events.addAll(SampleEvents.activities(5, Instant.parse("2024-02-29T00:00:00Z")));
        Analytics before;
        try (PostgresEventStore store = PostgresEventStore.open(url)) {
            store.append(events);
            before = store.analytics(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
        }
        try (PostgresEventStore store = PostgresEventStore.open(url,
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            assertThat(store.partitionInterval()).as("a store holding rows is not partitioned by opening").isEmpty();

            List<String> done = store.partition("month");

            assertThat(done).hasSize(EventKind.values().length).contains("partitioned activity_events by month: 56 row(s)");
            assertThat(store.partitionInterval()).contains("month");
            assertThat(read(store)).isEqualTo(SampleEvents.sorted(events));
            assertThat(store.analytics(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))).isEqualTo(before);
            assertThat(store.sessionAnalytics().session("s-000815")).isPresent();
            assertThat(db.rows(schema, "activity_events_p20251201")).isEqualTo(20);
            assertThat(db.rows(schema, "activity_events_p20260101")).as("30 steps and the sample activity").isEqualTo(31);
            assertThat(indexes(schema, "tool_events")).contains("idx_tool_events_analytics", "tool_events_pkey");
            assertThat(store.partition("month")).as("a second run").isEmpty();
            assertThat(store.append(events)).isZero();
        }
    }

    @Test
    void aPartitionRunKilledMidCopyIsResumedByRunningItAgain() throws Exception {
        String schema = db.newSchemaName();
        String url = db.url(schema);
        List<Event> events = new ArrayList<>();
        Instant start = Instant.parse("2026-01-15T00:00:00Z");
        for (int i = 0; i < 40_000; i++) {
            events.add(tool(start.plusSeconds(97L * i), "t" + (i % 7)));
        }
        try (PostgresEventStore store = PostgresEventStore.open(url)) {
            store.append(events);
        }
        Path stderr = dir.resolve("child.err");
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-D" + PostgresPartitions.COPY_BATCH_PROPERTY + "=500", "-cp",
                System.getProperty("java.class.path"), PartitionChild.class.getName(), url))
                .redirectError(stderr.toFile()).redirectOutput(dir.resolve("child.out").toFile()).start();
        long copied = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            copied = db.relkind(schema, "tool_events_partitioned") == null ? 0 : db.rows(schema, "tool_events_partitioned");
            if (copied >= 2_000) {
                break;
            }
            Thread.sleep(5);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(copied).as("killed mid-copy; child stderr: %s", Files.readString(stderr))
                .isBetween(2_000L, 39_999L);
        assertThat(db.relkind(schema, "tool_events")).as("the table is still the plain one").isEqualTo("r");

        try (PostgresEventStore store = PostgresEventStore.open(url)) {
            store.append(List.of(tool(Instant.parse("2026-03-01T00:00:00Z"), "after the kill")));
            List<String> done = store.partition("month");
            assertThat(done).contains("partitioned tool_events by month: 40001 row(s)");
            assertThat(db.relkind(schema, "tool_events")).isEqualTo("p");
            assertThat(db.relkind(schema, "tool_events_partitioned")).isNull();
            List<Event> expected = new ArrayList<>(events);
            expected.add(tool(Instant.parse("2026-03-01T00:00:00Z"), "after the kill"));
            List<Event> stored = read(store);
            assertThat(stored).hasSize(40_001);
            assertThat(stored.stream().map(Event::id).distinct().count()).isEqualTo(40_001);
            assertThat(stored.subList(0, 40_000)).isEqualTo(SampleEvents.sorted(events));
        }
    }

    @Test
    void aTimeRangeQueryReadsOnlyThePartitionsOfItsRange() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema),
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            List<Event> events = new ArrayList<>();
            for (int month = 1; month <= 6; month++) {
                events.add(tool(Instant.parse("2026-0" + month + "-10T00:00:00Z"), "t"));
            }
            store.append(events);
            store.maintainPartitions();
            String plan;
            try (Connection admin = db.admin(); Statement statement = admin.createStatement();
                    ResultSet rows = statement.executeQuery("EXPLAIN SELECT tool_name, count(*), avg(succeeded) FROM "
                            + schema + ".analytics_tool_use_view WHERE ts >= TIMESTAMPTZ '2026-03-01 00:00:00+00'"
                            + " AND ts < TIMESTAMPTZ '2026-04-01 00:00:00+00' GROUP BY tool_name")) {
                StringBuilder text = new StringBuilder();
                while (rows.next()) {
                    text.append(rows.getString(1)).append('\n');
                }
                plan = text.toString();
            }
            assertThat(plan).contains("tool_events_p20260301").doesNotContain("tool_events_p20260201")
                    .doesNotContain("tool_events_p20260401").doesNotContain("tool_events_default");
            Analytics march = store.analytics(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
            assertThat(march.counts().get(EventKind.TOOL_USE)).isEqualTo(1);
        }
    }

    /** The program the kill test runs in a child JVM: partitions the store at {@code args[0]} by month. */
    public static final class PartitionChild {
        private PartitionChild() {
        }

        public static void main(String[] args) {
            try (PostgresEventStore store = PostgresEventStore.open(args[0])) {
                store.partition("month");
            }
        }
    }

    private static Event tool(Instant ts, String name) {
        return ToolUseEvent.builder().ts(ts).toolName(name).success(true).durationMs(5).build();
    }

    private static List<Event> read(EventStore store) {
        try (Stream<Event> events = store.read(EventQuery.all())) {
            return SampleEvents.sorted(events.collect(Collectors.toList()));
        }
    }

    private static List<String> indexes(String schema, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection admin = db.admin(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = '"
                        + schema + "' AND tablename = '" + table + "'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
