package dev.eventlog.internal;

import dev.eventlog.EventKind;
import dev.eventlog.analytics.Analytics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The analytics questions asked of the {@code analytics_*_view} views that the SQL stores'
 * changelogs create. The views give one row per event with the group column, the flag as 0/1
 * ({@code null} counts as 0) and the measured values; these queries apply the time range and
 * group. Both databases run the same SQL; only the binding of a time bound differs. Not
 * thread-safe: one instance per computation.
 */
final class SqlAnalytics {
    /** Binds a time bound the way the store stores {@code ts}. */
    @FunctionalInterface
    interface BoundBinder {
        void bind(PreparedStatement statement, int index, Instant bound) throws SQLException;
    }

    /**
     * The nearest-rank percentiles of each tool's non-null durations, with ranks
     * {@code ceil(p * n / 100)} written in integers as {@code (p * n + 99) / 100}.
     */
    private static final String TOOL_PERCENTILES = "SELECT tool_name,"
            + " min(CASE WHEN rn = (50 * n + 99) / 100 THEN duration_ms END),"
            + " min(CASE WHEN rn = (95 * n + 99) / 100 THEN duration_ms END)"
            + " FROM (SELECT tool_name, duration_ms,"
            + " row_number() OVER (PARTITION BY tool_name ORDER BY duration_ms) AS rn,"
            + " count(*) OVER (PARTITION BY tool_name) AS n"
            + " FROM analytics_tool_use_view WHERE tool_name IS NOT NULL AND duration_ms IS NOT NULL%s) ranked"
            + " WHERE rn = (50 * n + 99) / 100 OR rn = (95 * n + 99) / 100 GROUP BY tool_name";

    private final Connection connection;
    private final BoundBinder binder;
    private final Instant from;
    private final Instant until;

    SqlAnalytics(Connection connection, BoundBinder binder, Instant from, Instant until) {
        this.connection = connection;
        this.binder = binder;
        this.from = from;
        this.until = until;
    }

    Analytics compute() throws SQLException {
        AnalyticsTally tally = new AnalyticsTally();
        each("SELECT kind, day, count(*) FROM analytics_event_days_view%s GROUP BY kind, day", true, rows -> {
            EventKind kind = EventKind.fromKey(rows.getString(1)).orElseThrow(
                    () -> new SQLException("analytics_event_days_view has an unknown kind"));
            tally.events(kind, LocalDate.parse(rows.getString(2)), rows.getLong(3));
        });
        each("SELECT predicted_model, count(*), sum(accurate)"
                + " FROM analytics_routing_view%s GROUP BY predicted_model", true, rows -> {
            tally.routing(rows.getString(1), rows.getLong(2), rows.getLong(3));
        });
        each("SELECT error_pattern, count(*), sum(succeeded)"
                + " FROM analytics_self_heal_view%s GROUP BY error_pattern", true, rows -> {
            tally.selfHeal(rows.getString(1), rows.getLong(2), rows.getLong(3));
        });
        each("SELECT recovery_strategy, count(*), sum(succeeded), sum(time_to_recover_ms),"
                + " count(time_to_recover_ms) FROM analytics_recovery_view%s GROUP BY recovery_strategy", true, rows -> {
            tally.recovery(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5));
        });
        each("SELECT outcome, count(*), sum(quality), count(quality), sum(cost_usd)"
                + " FROM analytics_session_view%s GROUP BY outcome", true, rows -> {
            tally.sessions(rows.getString(1), rows.getLong(2), rows.getDouble(3), rows.getLong(4),
                    rows.getDouble(5));
        });
        each("SELECT tool_name, count(*), sum(succeeded)"
                + " FROM analytics_tool_use_view%s GROUP BY tool_name", true, rows -> {
            tally.tools(rows.getString(1), rows.getLong(2), rows.getLong(3));
        });
        each(TOOL_PERCENTILES, false, rows -> {
            tally.toolDurations(rows.getString(1), rows.getLong(2), rows.getLong(3));
        });
        each("SELECT repo, count(*) FROM analytics_git_commits_view%s GROUP BY repo", true, rows -> {
            tally.commits(rows.getString(1), rows.getLong(2));
        });
        return tally.toAnalytics(from, until);
    }

    /** What to do with one result row. */
    @FunctionalInterface
    private interface RowHandler {
        void row(ResultSet rows) throws SQLException;
    }

    /**
     * Runs {@code sql} with the time range put in place of its {@code %s}, as a {@code WHERE}
     * clause ({@code startsWhere}) or as more conditions of one, and hands each row to {@code handler}.
     */
    private void each(String sql, boolean startsWhere, RowHandler handler) throws SQLException {
        StringBuilder range = new StringBuilder();
        if (from != null) {
            range.append(" AND ts >= ?");
        }
        if (until != null) {
            range.append(" AND ts < ?");
        }
        String condition = startsWhere && range.length() > 0 ? " WHERE" + range.substring(4) : range.toString();
        try (PreparedStatement statement = connection.prepareStatement(String.format(sql, condition))) {
            int index = 1;
            if (from != null) {
                binder.bind(statement, index++, from);
            }
            if (until != null) {
                binder.bind(statement, index, until);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    handler.row(rows);
                }
            }
        }
    }
}
