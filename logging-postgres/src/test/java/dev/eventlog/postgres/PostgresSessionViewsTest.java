package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.StoreException;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.testkit.SessionFixtures;
import dev.eventlog.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What someone at the psql prompt gets from the session views and functions of a store's schema. */
class PostgresSessionViewsTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void sessionFunctionsAnswerFromAnotherSearchPathAsTheLibraryDoes() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema));
                Connection psql = db.admin(); Statement sql = psql.createStatement()) {
            store.append(SessionFixtures.events());
            // The caller's search_path does not hold the store's schema.
            sql.execute("SET search_path TO public");

            List<String> stats = rows(sql, "SELECT session_id, events, tool_calls, workflow, success_score FROM \""
                    + schema + "\".session_stats('s-ties')");
            List<String> score = rows(sql, "SELECT \"" + schema + "\".session_success_score('s-mid'), \"" + schema
                    + "\".session_success_score('s-nulls'), \"" + schema + "\".session_success_score('no-such')");

            System.out.println("session_stats('s-ties') = " + stats + "; scores = " + score);
            assertThat(stats).containsExactly("s-ties|10|5|Read>Bash>Edit|72.5");
            assertThat(score).containsExactly("59.2|null|null");
            assertThat(SessionAnalytics.of(store).session("s-mid").orElseThrow().successScore()).isEqualTo(59.2);
        }
    }

    @Test
    void sessionViewsShowTheLibrarysFigures() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema));
                Connection psql = db.admin(); Statement sql = psql.createStatement()) {
            store.append(SessionFixtures.events());
            String q = "\"" + schema + "\".";

            List<String> workflows = rows(sql, "SELECT workflow, sessions, round(mean_success_score::numeric, 4) FROM " + q
                    + "workflow_pattern_view ORDER BY sessions DESC, workflow COLLATE \"C\"");
            List<String> agents = rows(sql, "SELECT agent_id, events, actions::text, mean_duration_ms, sessions FROM " + q
                    + "agent_usage_view ORDER BY agent_id");
            List<String> quality = rows(sql, "SELECT sessions, scored, round(mean_success_score::numeric, 4),"
                    + " median_success_score, p90_success_score, high, medium, low FROM " + q + "session_quality_view");

            System.out.println("workflows " + workflows + "; agents " + agents + "; quality " + quality);
            assertThat(workflows).containsExactly("Read>Edit>Bash|2|79.6000", "A>B>A>C>D|1|100.0000", "Bash|1|0.0000",
                    "Read>Bash>Edit|1|72.5000");
            assertThat(agents).containsExactly("coder|1|{}|null|0",
                    "planner|4|{\"fail\": 1, \"spawn\": 2, \"complete\": 1}|200|2");
            assertThat(quality).containsExactly("8|6|71.9500|86.25|100|3|2|1");
        }
    }

    @Test
    void rollingBackTheSessionChangeSetsTakesTheViewsAndFunctionsAway() throws SQLException {
        String schema = db.newSchemaName();
        try (PostgresEventStore store = PostgresEventStore.open(db.url(schema))) {
            store.append(SessionFixtures.events());

            store.rollbackSchema(1 + 1 + 1 + 1 + 3); // the analytics day summaries, the session summary, the follow checkpoints, the routing matrix, then the three session change sets

            assertThat(objects(schema)).isEqualTo("0 views, 0 functions, 0 session indexes");
            assertThatThrownBy(() -> SessionAnalytics.of(store).sessions(null, null, 0))
                    .isInstanceOf(StoreException.class).hasMessageContaining("session_summary");
            assertThat(SessionAnalytics.streaming(store).sessions(null, null, 0)).hasSize(8);
            store.updateSchema();
            assertThat(objects(schema)).isEqualTo("4 views, 2 functions, 8 session indexes");
            assertThat(SessionAnalytics.of(store).sessions(null, null, 0)).hasSize(8);
        }
    }

    private static String objects(String schema) throws SQLException {
        try (Connection admin = db.admin(); Statement sql = admin.createStatement()) {
            String s = "'" + schema + "'";
            return rows(sql, "SELECT (SELECT count(*) FROM information_schema.views WHERE table_schema = " + s
                    + " AND table_name IN ('session_summary_view', 'workflow_pattern_view', 'agent_usage_view',"
                    + " 'session_quality_view')) || ' views, ' || (SELECT count(*) FROM information_schema.routines"
                    + " WHERE routine_schema = " + s + " AND routine_name IN ('session_stats', 'session_success_score')) || ' functions, '"
                    + " || (SELECT count(*) FROM pg_indexes WHERE schemaname = " + s
                    + " AND indexname LIKE '%_session_id' AND indexname NOT IN ('idx_tool_events_session_id',"
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
