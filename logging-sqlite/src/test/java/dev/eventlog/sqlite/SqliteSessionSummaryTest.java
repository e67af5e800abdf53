package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.ActivityEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.analytics.SessionSummary;
import dev.eventlog.testkit.SessionFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session summary of a SQLite store: appends leave it alone, the next question catches it up
 * from the rowid marks, and removing the newest rows cannot hide the rows appended after.
 */
class SqliteSessionSummaryTest {
    @TempDir
    Path dir;

    @Test
    void appendsLeaveTheSummaryAloneAndTheNextQuestionCatchesItUp() throws SQLException {
        Path file = dir.resolve("events.db");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            store.append(SessionFixtures.events());
            long beforeQuestion = count(file, "SELECT count(*) FROM session_summary");

            List<SessionSummary> listed = SessionAnalytics.of(store).sessions(null, null, 0);

            System.out.printf("summary rows after the appends: %d; after a question: %d%n", beforeQuestion,
                    count(file, "SELECT count(*) FROM session_summary"));
            assertThat(beforeQuestion).isZero();
            assertThat(listed).hasSize(8);
            assertThat(count(file, "SELECT count(*) FROM session_summary")).isEqualTo(8);
            assertThat(count(file, "SELECT last_rowid FROM session_summary_marks WHERE table_name = 'tool_events'"))
                    .isEqualTo(count(file, "SELECT max(rowid) FROM tool_events"));
        }
    }

    @Test
    void anEventAppendedAfterRetentionRemovedTheNewestRowsIsCounted() throws SQLException {
        Path file = dir.resolve("events.db");
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            store.append(List.of(tool("kept", now, "Read")));
            // Old events appended last hold the highest rowids.
            store.append(List.of(tool("old", now.minusSeconds(86_400 * 60), "Bash"),
                    tool("old", now.minusSeconds(86_400 * 59), "Edit")));
            assertThat(SessionAnalytics.of(store).sessions(null, null, 0)).hasSize(2);
            long markBefore = count(file, "SELECT last_rowid FROM session_summary_marks WHERE table_name = 'tool_events'");

            store.removeBefore(EventKind.TOOL_USE, now.minusSeconds(86_400 * 30), null);
            store.append(List.<Event>of(tool("late", now.plusSeconds(5), "Grep")));
            long lateRowid = count(file, "SELECT rowid FROM tool_events WHERE session_id = 'late'");
            List<SessionSummary> after = SessionAnalytics.of(store).sessions(null, null, 0);

            System.out.printf("mark %d before retention; the late event got rowid %d; listed %s%n", markBefore,
                    lateRowid, after.stream().map(SessionSummary::sessionId).toList());
            assertThat(lateRowid).isLessThanOrEqualTo(markBefore);
            assertThat(after).extracting(SessionSummary::sessionId).containsExactly("late", "kept");
            SessionFixtures.assertSameReport(SessionAnalytics.of(store).report(null, null, 0),
                    SessionAnalytics.streaming(store).report(null, null, 0));
        }
    }

    @Test
    void theSummaryRollsBackWithoutForceAndAnUpdateRebuildsItFromTheEvents() throws SQLException {
        Path file = dir.resolve("events.db");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            store.append(SessionFixtures.events());
            List<SessionSummary> before = SessionAnalytics.of(store).sessions(null, null, 0);

            List<String> rolledBack = store.rollbackSchema(2, false);
            store.append(List.of(ActivityEvent.builder().ts(SessionFixtures.at(20_000)).sessionId("s-after")
                    .activityType("edit").build()));
            store.updateSchema();
            List<SessionSummary> after = SessionAnalytics.of(store).sessions(null, null, 0);

            System.out.printf("rolled back %s; %d sessions before, %d after the update%n", rolledBack, before.size(),
                    after.size());
            assertThat(rolledBack).containsExactly("eventlog:create-analytics-rollup", "eventlog:create-session-summary");
            assertThat(after.subList(1, after.size())).isEqualTo(before);
            assertThat(after.get(0).sessionId()).isEqualTo("s-after");
        }
    }

    private static ToolUseEvent tool(String session, Instant ts, String name) {
        return ToolUseEvent.builder().ts(ts).sessionId(session).toolName(name).success(true).build();
    }

    private static long count(Path file, String query) throws SQLException {
        try (Connection shell = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = shell.createStatement();
                ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
