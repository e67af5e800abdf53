package dev.eventlog.jdbc;

import dev.eventlog.analytics.AnalyticsTally;
import dev.eventlog.EventKind;
import dev.eventlog.analytics.Analytics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analytics questions asked of the {@code analytics_*_view} views that the SQL stores'
 * changelogs create. The views give one row per event with the group column, the flag as 0/1
 * ({@code null} counts as 0) and the measured values; these queries apply the time range and
 * group. Both databases run the same SQL; only the binding of a time bound differs. Thread-safe
 * (no state); the connection is used by one thread.
 */
public final class SqlAnalytics {
    /** Binds a time bound the way the store stores {@code ts}. */
    @FunctionalInterface
    public interface BoundBinder {
        /** Binds {@code bound} as parameter {@code index}. */
        void bind(PreparedStatement statement, int index, Instant bound) throws SQLException;
    }

    /** Adds one result row of a question to the tally. */
    @FunctionalInterface
    private interface RowReader {
        void read(AnalyticsTally tally, ResultSet rows) throws SQLException;
    }

    /** One question: its SQL, with {@code %s} where the time range goes, and how its rows are read. */
    public enum Question {
        /** Events per kind and UTC day. */
        COUNTS_PER_KIND_AND_DAY("SELECT kind, epoch_day, count(*) FROM analytics_event_days_view%s GROUP BY kind, epoch_day", true,
                (tally, rows) -> {
                    String key = rows.getString(1);
                    EventKind kind = EventKind.fromKey(key).orElseThrow(
                            () -> new IllegalStateException("analytics_event_days_view has an unknown kind " + key));
                    tally.events(kind, LocalDate.ofEpochDay(rows.getLong(2)), rows.getLong(3));
                }),
        /** Routing accuracy and predicted-model distribution. */
        ROUTING("SELECT predicted_model, count(*), sum(accurate) FROM analytics_routing_view%s GROUP BY predicted_model",
                true, (tally, rows) -> tally.routing(rows.getString(1), rows.getLong(2), rows.getLong(3))),
        /** The predicted-vs-actual matrix: events per non-null predicted and actual model. */
        ROUTING_MATRIX("SELECT predicted_model, actual_model, count(*) FROM analytics_routing_matrix_view%s"
                + " GROUP BY predicted_model, actual_model",
                true, (tally, rows) -> tally.routingOutcome(rows.getString(1), rows.getString(2), rows.getLong(3))),
        /** Self-heal success overall and per error pattern. */
        SELF_HEAL("SELECT error_pattern, count(*), sum(succeeded) FROM analytics_self_heal_view%s GROUP BY error_pattern",
                true, (tally, rows) -> tally.selfHeal(rows.getString(1), rows.getLong(2), rows.getLong(3))),
        /** Recovery success overall and per strategy, and the time to recover. */
        RECOVERY("SELECT recovery_strategy, count(*), sum(succeeded), sum(time_to_recover_ms), count(time_to_recover_ms)"
                + " FROM analytics_recovery_view%s GROUP BY recovery_strategy", true,
                (tally, rows) -> tally.recovery(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                        rows.getLong(5))),
        /** Session outcome counts, quality and cost. */
        SESSIONS("SELECT outcome, count(*), sum(quality), count(quality), sum(cost_usd)"
                + " FROM analytics_session_view%s GROUP BY outcome", true,
                (tally, rows) -> tally.sessions(rows.getString(1), rows.getLong(2), rows.getDouble(3), rows.getLong(4),
                        rows.getDouble(5))),
        /** Tool success overall and per tool. */
        TOOL_SUCCESS("SELECT tool_name, count(*), sum(succeeded) FROM analytics_tool_use_view%s GROUP BY tool_name", true,
                (tally, rows) -> tally.tools(rows.getString(1), rows.getLong(2), rows.getLong(3))),
        /**
         * The nearest-rank percentiles of each tool's non-null durations, with ranks
         * {@code ceil(p * n / 100)} written in integers as {@code (p * n + 99) / 100}.
         */
        TOOL_DURATION_PERCENTILES("SELECT tool_name,"
                + " min(CASE WHEN rn = (50 * n + 99) / 100 THEN duration_ms END),"
                + " min(CASE WHEN rn = (95 * n + 99) / 100 THEN duration_ms END)"
                + " FROM (SELECT tool_name, duration_ms, row_number() OVER w AS rn, count(*) OVER w AS n"
                + " FROM analytics_tool_use_view WHERE tool_name IS NOT NULL AND duration_ms IS NOT NULL%s"
                // One window for both, so the rows are put in order once (or read in index order).
                + " WINDOW w AS (PARTITION BY tool_name ORDER BY duration_ms"
                + " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) ranked"
                + " WHERE rn = (50 * n + 99) / 100 OR rn = (95 * n + 99) / 100 GROUP BY tool_name", false,
                (tally, rows) -> tally.toolDurations(rows.getString(1), rows.getLong(2), rows.getLong(3))),
        /** Git commits per repository. */
        GIT_COMMITS("SELECT repo, count(*) FROM analytics_git_commits_view%s GROUP BY repo", true,
                (tally, rows) -> tally.commits(rows.getString(1), rows.getLong(2)));

        private final String template;
        private final boolean startsWhere;
        private final RowReader reader;

        Question(String template, boolean startsWhere, RowReader reader) {
            this.template = template;
            this.startsWhere = startsWhere;
            this.reader = reader;
        }

        /** The SQL for {@code [from, until)} with unqualified view names. */
        public String sql(Instant from, Instant until) {
            return sql(from, until, UnaryOperator.identity());
        }

        /**
         * The SQL for {@code [from, until)}: one {@code ?} per non-null bound, {@code from} first;
         * each view named as {@code relation} says (e.g. qualified with a schema).
         */
        public String sql(Instant from, Instant until, UnaryOperator<String> relation) {
            StringBuilder range = new StringBuilder();
            if (from != null) {
                range.append(" AND ts >= ?");
            }
            if (until != null) {
                range.append(" AND ts < ?");
            }
            String condition = startsWhere && range.length() > 0 ? " WHERE" + range.substring(4) : range.toString();
            return VIEW.matcher(String.format(template, condition))
                    .replaceAll(view -> Matcher.quoteReplacement(relation.apply(view.group())));
        }

        /**
         * Asks this question on {@code connection} and adds the answer to {@code tally}.
         *
         * @return how many rows the answer had
         */
        public int ask(Connection connection, BoundBinder binder, UnaryOperator<String> relation, Instant from,
                Instant until, AnalyticsTally tally) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql(from, until, relation))) {
                int index = 1;
                if (from != null) {
                    binder.bind(statement, index++, from);
                }
                if (until != null) {
                    binder.bind(statement, index, until);
                }
                int count = 0;
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        reader.read(tally, rows);
                        count++;
                    }
                }
                return count;
            }
        }
    }

    private static final Pattern VIEW = Pattern.compile("\\banalytics_[a-z_]+_view\\b");

    private SqlAnalytics() {
    }

    /**
     * Asks every question on {@code connection} (inside the caller's transaction) for
     * {@code [from, until)}, naming each view as {@code relation} says.
     */
    public static Analytics compute(Connection connection, BoundBinder binder, UnaryOperator<String> relation,
            Instant from, Instant until) throws SQLException {
        AnalyticsTally tally = new AnalyticsTally();
        for (Question question : Question.values()) {
            question.ask(connection, binder, relation, from, until, tally);
        }
        return tally.toAnalytics(from, until);
    }
}
