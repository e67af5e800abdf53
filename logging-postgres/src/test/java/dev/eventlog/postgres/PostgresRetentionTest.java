package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.migrate.DualReadValidator;
import dev.eventlog.migrate.Importer;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.Retention;
import dev.eventlog.migrate.RetentionReport;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.Expiring;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a partitioned PostgreSQL store (README, "Retention: archive, then drop"). */
class PostgresRetentionTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** 180 days before this is 2026-03-19: January and February lie before it, March straddles it. */
    static final Instant NOW = Instant.parse("2026-09-15T00:00:00Z");
    static final Instant CUT = NOW.minus(Duration.ofDays(180));

    @TempDir
    Path dir;

    @Test
    void oldPartitionsAreArchivedThenDroppedAndThePartlyOldOneLosesOnlyItsOldRows() throws Exception {
        String schema = db.newSchemaName();
        List<Event> old = new ArrayList<>();
        old.addAll(tools("2026-01-10T00:00:00Z", 300));
        old.addAll(tools("2026-02-10T00:00:00Z", 300));
        old.addAll(tools("2026-03-05T00:00:00Z", 100));
        List<Event> young = new ArrayList<>(tools("2026-03-25T00:00:00Z", 100));
        young.addAll(tools("2026-08-01T00:00:00Z", 10));
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema),
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            store.append(old);
            store.append(young);
            store.maintainPartitions();
            assertThat(db.relkind(schema, "tool_events_p20260101")).isEqualTo("r");
            Path archive = dir.resolve("archive");

            RetentionReport report = Retention.run(store, new Retention.Plan(Map.of(EventKind.TOOL_USE,
                    Duration.ofDays(180)), archive, false, false, NOW), MigrationListener.NONE);

            RetentionReport.KindRetention tools = report.kinds().get(0);
            assertThat(tools.cut()).isEqualTo(Instant.parse("2026-03-19T00:00:00Z"));
            assertThat(tools.archived()).isEqualTo(700);
            assertThat(tools.removed()).isEqualTo(700);
            assertThat(tools.changes()).containsExactly("dropped partition tool_events_p20260101 (300 row(s))",
                    "dropped partition tool_events_p20260201 (300 row(s))", "deleted 100 row(s) of tool_events");
            assertThat(db.relkind(schema, "tool_events_p20260101")).isNull();
            assertThat(db.relkind(schema, "tool_events_p20260201")).isNull();
            assertThat(db.rows(schema, "tool_events_p20260301")).isEqualTo(100);
            assertThat(read(store)).containsExactlyElementsOf(SampleEvents.sorted(young));
            try (JsonlEventStore imported = JsonlEventStore.open(dir.resolve("imported"));
                    JsonlEventStore expected = JsonlEventStore.open(dir.resolve("expected"))) {
                assertThat(Importer.builder().target(imported).input(archive).stateDirectory(dir.resolve("state"))
                        .build().run().ok()).isTrue();
                expected.append(old);
                assertThat(DualReadValidator.compare(expected, imported).identical()).isTrue();
                assertThat(DualReadValidator.compare(expected, imported).kinds().stream()
                        .filter(k -> k.kind() == EventKind.TOOL_USE).findFirst().orElseThrow().targetDigest())
                        .isEqualTo(tools.digest());
            }
        }
    }

    @Test
    void aPartitionHoldingARowTheArchiveLacksIsNotDroppedAndThatRowStays() throws SQLException {
        String schema = db.newSchemaName();
        List<Event> january = tools("2026-01-10T00:00:00Z", 50);
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema),
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            store.append(january);
            store.maintainPartitions();
            Event late = january.get(17);
            Set<UUID> archivedIds = january.stream().map(Event::id).filter(id -> !id.equals(late.id()))
                    .collect(Collectors.toSet());
            Expiring.Archived archived = new Expiring.Archived() {
                @Override
                public boolean contains(UUID id) {
                    return archivedIds.contains(id);
                }

                @Override
                public long count(Instant from, Instant until) {
                    return january.stream().filter(e -> archivedIds.contains(e.id()) && !e.ts().isBefore(from)
                            && e.ts().isBefore(until)).count();
                }
            };

            Expiring.Removal removal = store.removeBefore(EventKind.TOOL_USE, CUT, archived);

            assertThat(removal.rows()).isEqualTo(49);
            assertThat(db.relkind(schema, "tool_events_p20260101")).isEqualTo("r");
            assertThat(read(store)).containsExactly(late);
        }
    }

    private static List<Event> tools(String start, int count) {
        List<Event> events = new ArrayList<>();
        Instant t = Instant.parse(start);
        for (int i = 0; i < count; i++) {
            events.add(ToolUseEvent.builder().ts(t.plusSeconds(61L * i)).toolName("t" + (i % 5)).success(i % 3 != 0)
                    .durationMs(i).attribute("n", i).build());
        }
        return events;
    }

    private static List<Event> read(PostgresEventStore store) {
        try (Stream<Event> events = store.read(EventQuery.all())) {
            return SampleEvents.sorted(events.collect(Collectors.toList()));
        }
    }
}
