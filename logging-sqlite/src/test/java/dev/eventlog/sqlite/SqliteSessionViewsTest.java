package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.StoreException;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.testkit.SessionFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What someone at the sqlite3 prompt gets from the session views of a store's file. */
class SqliteSessionViewsTest {
    @TempDir
    Path dir;

    @Test
    void sessionViewsShowTheLibrarysFigures() throws SQLException {
        Path file = dir.resolve("events.db");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            store.append(SessionFixtures.events());
        }
        try (Connection shell = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = shell.createStatement()) {
            List<String> ties = rows(sql, "SELECT session_id, events, tool_calls, workflow, success_score,"
                    + " strftime('%Y-%m-%dT%H:%M:%fZ', last_ts / 1000.0, 'unixepoch') FROM session_summary_view"
                    + " WHERE session_id = 's-ties'");
            List<String> workflows = rows(sql, "SELECT workflow, sessions, round(mean_success_score, 4) FROM"
                    + " workflow_pattern_view ORDER BY sessions DESC, workflow");
            List<String> agents = rows(sql, "SELECT agent_id, events, actions, mean_duration_ms, sessions FROM"
                    + " agent_usage_view ORDER BY agent_id");
            List<String> quality = rows(sql, "SELECT sessions, scored, round(mean_success_score, 4), median_success_score,"
                    + " p90_success_score, high, medium, low FROM session_quality_view");

            System.out.println(ties + "; workflows " + workflows + "; agents " + agents + "; quality " + quality);
            assertThat(ties).containsExactly("s-ties|10|5|Read>Bash>Edit|72.5|2026-01-28T06:00:03.723Z");
            assertThat(workflows).containsExactly("Read>Edit>Bash|2|79.6", "A>B>A>C>D|1|100.0", "Bash|1|0.0",
                    "Read>Bash>Edit|1|72.5");
            assertThat(agents).containsExactly("coder|1|{}|null|0", "planner|4|{\"complete\":1,\"fail\":1,\"spawn\":2}|200.0|2");
            assertThat(quality).containsExactly("8|6|71.95|86.25|100.0|3|2|1");
        }
    }

    @Test
    void rollingBackTheSessionChangeSetsTakesTheViewsAway() throws SQLException {
        Path file = dir.resolve("events.db");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            store.append(SessionFixtures.events());

            store.rollbackSchema(1 + 1 + 1 + 1 + 2); // the analytics day summaries, the session summary, the follow checkpoints, the routing matrix, then the two session change sets

            assertThat(objects(file)).isEqualTo("0 views, 0 session indexes");
            assertThatThrownBy(() -> SessionAnalytics.of(store).quality(null, null))
                    .isInstanceOf(StoreException.class).hasMessageContaining("session_summary");
            assertThat(SessionAnalytics.streaming(store).quality(null, null).sessions()).isEqualTo(8);
            store.updateSchema();
            assertThat(objects(file)).isEqualTo("4 views, 8 session indexes");
            assertThat(SessionAnalytics.of(store).quality(null, null).sessions()).isEqualTo(8);
        }
    }

    private static String objects(Path file) throws SQLException {
        try (Connection shell = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = shell.createStatement()) {
            return rows(sql, "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name IN"
                    + " ('session_summary_view', 'workflow_pattern_view', 'agent_usage_view', 'session_quality_view'))"
                    + " || ' views, ' || (SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE"
                    + " '%\\_session\\_id' ESCAPE '\\' AND name NOT IN ('idx_tool_events_session_id',"
                    + " 'idx_session_outcome_events_session_id')) || ' session indexes'").get(0);
        }
    }

    private static List<String> rows(Statement sql, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
