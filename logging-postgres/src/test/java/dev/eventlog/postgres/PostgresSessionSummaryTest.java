package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.analytics.SessionReport;
import dev.eventlog.analytics.SessionSummary;
import dev.eventlog.testkit.SessionFixtures;
import dev.eventlog.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session summary of a PostgreSQL store kept right through the paths an insert or a removal
 * can take there: binary COPY straight into a table and through a staging table (each append
 * listing its sessions once), a store partitioned after it held rows, and old partitions dropped
 * by retention.
 */
class PostgresSessionSummaryTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void aCopiedBatchListsEachOfItsSessionsOnceAndTheNextQuestionCountsIt() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            List<Event> first = tools("c-", 200, 6, "2026-03-01T00:00:00Z");
            store.append(first);
            long dirtyAfterCopy = dirtyRows(schema);
            SessionReport before = SessionAnalytics.of(store).report(null, null, 0);
            List<Event> second = new ArrayList<>(first);
            second.addAll(tools("d-", 50, 6, "2026-03-02T00:00:00Z"));
            second.addAll(tools("c-", 200, 1, "2026-03-03T00:00:00Z"));
            store.append(second);
            SessionReport after = SessionAnalytics.of(store).report(null, null, 0);

            System.out.printf("COPY of 1200 rows: %d session_dirty rows; sessions %d then %d%n", dirtyAfterCopy,
                    before.sessions().size(), after.sessions().size());
            // One row per session of the append, not one per inserted row.
            assertThat(dirtyAfterCopy).isEqualTo(200);
            assertThat(dirtyRows(schema)).isZero();
            assertThat(before.sessions()).hasSize(200).allSatisfy(s -> assertThat(s.events()).isEqualTo(6));
            assertThat(after.sessions()).hasSize(250);
            assertThat(after.sessions()).filteredOn(s -> s.sessionId().startsWith("c-"))
                    .allSatisfy(s -> assertThat(s.events()).isEqualTo(7));
            SessionFixtures.assertSameReport(after, SessionAnalytics.streaming(store).report(null, null, 0));
        }
    }

    @Test
    void aStorePartitionedAfterItHeldRowsKeepsListingTheSessionsOfNewEvents() {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            store.append(SessionFixtures.events());
            assertThat(SessionAnalytics.of(store).sessions(null, null, 0)).hasSize(8);

            List<String> done = store.partition("month");
            store.append(SessionFixtures.later());
            List<SessionSummary> top = SessionAnalytics.of(store).sessions(null, null, 2);

            System.out.printf("partitioned: %s; then %s%n", done, top);
            assertThat(store.partitionInterval()).contains("month");
            assertThat(top).extracting(SessionSummary::sessionId).containsExactly("s-new", "s-none");
            assertThat(top.get(1).workflow()).isEqualTo("Grep>Read");
            SessionFixtures.assertSameReport(SessionAnalytics.of(store).report(null, null, 0),
                    SessionAnalytics.streaming(store).report(null, null, 0));
        }
    }

    @Test
    void droppingAnOldPartitionRecomputesTheSessionsThatHadEventsInIt() {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema),
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            List<Event> events = new ArrayList<>(tools("old-", 30, 3, "2026-01-10T00:00:00Z"));
            events.addAll(tools("both-", 20, 2, "2026-01-12T00:00:00Z"));
            events.addAll(tools("both-", 20, 2, "2026-08-01T00:00:00Z"));
            store.append(events);
            store.maintainPartitions();
            assertThat(SessionAnalytics.of(store).sessions(null, null, 0)).hasSize(50);

            List<String> changes = store.removeBefore(EventKind.TOOL_USE, Instant.parse("2026-02-01T00:00:00Z"), null)
                    .changes();
            List<SessionSummary> after = SessionAnalytics.of(store).sessions(null, null, 0);

            System.out.printf("retention: %s; %d sessions left%n", changes, after.size());
            assertThat(changes).contains("dropped partition tool_events_p20260101 (130 row(s))");
            assertThat(after).hasSize(20).allSatisfy(s -> {
                assertThat(s.sessionId()).startsWith("both-");
                assertThat(s.events()).isEqualTo(2);
                assertThat(s.firstTs()).isAfterOrEqualTo(Instant.parse("2026-08-01T00:00:00Z"));
            });
            SessionFixtures.assertSameReport(SessionAnalytics.of(store).report(null, null, 0),
                    SessionAnalytics.streaming(store).report(null, null, 0));
        }
    }

    /** {@code perSession} tool calls, a second apart, in each of {@code sessions} sessions named {@code prefix + i}. */
    private static List<Event> tools(String prefix, int sessions, int perSession, String start) {
        List<Event> events = new ArrayList<>();
        Instant t = Instant.parse(start);
        for (int i = 0; i < sessions; i++) {
            for (int j = 0; j < perSession; j++) {
                events.add(ToolUseEvent.builder().ts(t.plusSeconds(60L * i + j)).sessionId(prefix + i)
                        .toolName("t" + ((i + j) % 4)).success((i + j) % 5 != 0).durationMs(j).build());
            }
        }
        return events;
    }

    private static long dirtyRows(String schema) throws SQLException {
        try (Connection admin = db.admin(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + schema + ".session_dirty")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
