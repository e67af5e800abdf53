package dev.eventlog.jdbc;

import dev.eventlog.analytics.AgentUsage;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.analytics.SessionQuality;
import dev.eventlog.analytics.SessionScore;
import dev.eventlog.analytics.SessionSummary;
import dev.eventlog.analytics.WorkflowPattern;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The session questions asked of the {@code session_summary_view} that the SQL stores' changelogs
 * create (one row per session, its success score computed in SQL) and of {@code coordinator_events}.
 * Both databases run the same SQL; a store says how it binds and reads a time, how it names a
 * relation and which collation orders text by code point. Thread-safe (no mutable state).
 */
public final class SqlSessionAnalytics implements SessionAnalytics {
    /** Runs work in one read transaction of the store. */
    public interface Reads {
        /**
         * Runs {@code work} on a read connection inside one transaction.
         *
         * @param what what the work does, for the failure message
         * @throws dev.eventlog.StoreException when the work fails
         */
        <T> T inReadTransaction(String what, Work<T> work);
    }

    /** Work done on a read connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work. */
        T apply(Connection connection) throws SQLException;
    }

    /** Reads a time column the way the store stores {@code ts}. */
    @FunctionalInterface
    public interface TsReader {
        /** Reads column {@code index}. */
        Instant read(ResultSet rows, int index) throws SQLException;
    }

    /** Every table, in the order of the view's union (tools first). */
    private static final List<String> TABLES = List.of("tool_events", "git_events", "self_heal_events",
            "recovery_events", "routing_metrics_events", "session_outcome_events", "activity_events",
            "coordinator_events", "expertise_routing_events", "custom_events");

    private static final String COLUMNS = "session_id, first_ts, last_ts, events, tool_calls, tool_failures,"
            + " tool_success_rate, distinct_tools, outcome, quality, cost_usd, model, messages_count, workflow,"
            + " success_score";

    /** The quality of the sessions of the view; {@code %s} is where the range goes. Also the session_quality_view. */
    static final String QUALITY = "SELECT count(*), count(success_score), avg(success_score),"
            + " avg(CASE WHEN success_score IS NOT NULL AND rn IN ((n + 1) / 2, (n + 2) / 2) THEN success_score END),"
            + " min(CASE WHEN success_score IS NOT NULL AND rn = (9 * n + 9) / 10 THEN success_score END),"
            + " sum(CASE WHEN success_score >= 80 THEN 1 ELSE 0 END),"
            + " sum(CASE WHEN success_score >= 50 AND success_score < 80 THEN 1 ELSE 0 END),"
            + " sum(CASE WHEN success_score < 50 THEN 1 ELSE 0 END)"
            + " FROM (SELECT success_score,"
            + " row_number() OVER (PARTITION BY success_score IS NULL ORDER BY success_score) AS rn,"
            + " count(success_score) OVER () AS n FROM session_summary_view%s) ranked";

    private final Reads reads;
    private final SqlAnalytics.BoundBinder binder;
    private final TsReader tsReader;
    private final UnaryOperator<String> relation;
    private final String binaryCollation;

    /**
     * @param reads how to run a read transaction
     * @param binder how a time bound is bound
     * @param tsReader how a time is read
     * @param relation how a view or table of the changelog is named (e.g. schema-qualified)
     * @param binaryCollation what follows a text column to order it by code point
     *     ({@code COLLATE "C"} in PostgreSQL, empty in SQLite, whose default is binary)
     */
    public SqlSessionAnalytics(Reads reads, SqlAnalytics.BoundBinder binder, TsReader tsReader,
            UnaryOperator<String> relation, String binaryCollation) {
        this.reads = reads;
        this.binder = binder;
        this.tsReader = tsReader;
        this.relation = relation;
        this.binaryCollation = binaryCollation;
    }

    /**
     * One session's summary. SQLite does not push a {@code session_id} condition through the
     * view's grouped union of every table, so this asks the view's own inner query with the
     * condition in each arm of the union (each an index search), and computes the score from its
     * components with {@link SessionScore}, by the rule the view follows; the contract kit checks
     * that both give the same summaries.
     */
    @Override
    public Optional<SessionSummary> session(String sessionId) {
        if (sessionId == null) {
            return Optional.empty();
        }
        String sql = oneSession();
        return reads.inReadTransaction("read session " + sessionId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 1; i <= TABLES.size(); i++) {
                    statement.setString(i, sessionId);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<SessionSummary>empty();
                    }
                    Double rate = nullableDouble(rows, 7);
                    String outcome = rows.getString(9);
                    Double quality = nullableDouble(rows, 10);
                    return Optional.of(new SessionSummary(rows.getString(1), tsReader.read(rows, 2),
                            tsReader.read(rows, 3), rows.getLong(4), rows.getLong(5), rows.getLong(6), rate,
                            rows.getLong(8), outcome, quality, nullableDouble(rows, 11), rows.getString(12),
                            nullableLong(rows, 13), rows.getString(14), SessionScore.score(rate, outcome, quality)));
                }
            }
        });
    }

    /** The inner query of {@code session_summary_view} for one session: one {@code ?} per table. */
    private String oneSession() {
        StringBuilder union = new StringBuilder();
        for (String table : TABLES) {
            boolean tools = table.equals("tool_events");
            union.append(union.length() == 0 ? "" : " UNION ALL ")
                    .append(tools ? "SELECT session_id, ts, 1 AS is_tool, tool_name, CASE WHEN success THEN 1 ELSE 0 END"
                            + " AS ok, CASE WHEN NOT success THEN 1 ELSE 0 END AS failed"
                            : "SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0")
                    .append(" FROM ").append(relation.apply(table)).append(" WHERE session_id = ?");
        }
        StringBuilder workflow = new StringBuilder("max(CASE WHEN step = 1 THEN tool_name END)");
        for (int step = 2; step <= 5; step++) {
            workflow.append(" || coalesce('>' || max(CASE WHEN step = ").append(step).append(" THEN tool_name END), '')");
        }
        String outcomes = relation.apply("session_outcome_events");
        return "SELECT e.session_id, e.first_ts, e.last_ts, e.events, e.tool_calls, e.tool_failures,"
                + " CASE WHEN e.tool_successes + e.tool_failures = 0 THEN NULL"
                + " ELSE CAST(e.tool_successes AS DOUBLE PRECISION) / (e.tool_successes + e.tool_failures) END,"
                + " e.distinct_tools, o.outcome, o.quality, o.cost_usd, o.model, o.messages_count,"
                + " (SELECT " + workflow + " FROM (SELECT tool_name, row_number() OVER (ORDER BY ts, id) AS step"
                + " FROM (SELECT tool_name, ts, id, lag(tool_name) OVER (ORDER BY ts, id) AS previous FROM "
                + relation.apply("tool_events") + " t WHERE t.session_id = e.session_id AND t.tool_name IS NOT NULL) named"
                + " WHERE previous IS NULL OR previous <> tool_name) collapsed WHERE step <= 5)"
                + " FROM (SELECT session_id, min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS events,"
                + " sum(is_tool) AS tool_calls, sum(ok) AS tool_successes, sum(failed) AS tool_failures,"
                + " count(DISTINCT tool_name) AS distinct_tools FROM (" + union + ") session_events"
                + " GROUP BY session_id) e"
                + " LEFT JOIN " + outcomes + " o ON o.id = (SELECT x.id FROM " + outcomes + " x"
                + " WHERE x.session_id = e.session_id ORDER BY x.ts DESC, x.id DESC LIMIT 1)";
    }

    @Override
    public List<SessionSummary> sessions(Instant from, Instant until, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM " + relation.apply("session_summary_view")
                + range(" WHERE ", "last_ts", from, until) + " ORDER BY last_ts DESC, session_id" + binaryCollation
                + (limit > 0 ? " LIMIT " + limit : "");
        return reads.inReadTransaction("list sessions", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, 1, from, until);
                List<SessionSummary> sessions = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sessions.add(summary(rows));
                    }
                }
                return sessions;
            }
        });
    }

    @Override
    public List<WorkflowPattern> workflows(Instant from, Instant until) {
        String sql = "SELECT workflow, count(*), sum(success_score), count(success_score) FROM "
                + relation.apply("session_summary_view") + " WHERE workflow IS NOT NULL"
                + range(" AND ", "last_ts", from, until) + " GROUP BY workflow";
        List<WorkflowPattern> patterns = reads.inReadTransaction("count workflows", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, 1, from, until);
                List<WorkflowPattern> found = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long scored = rows.getLong(4);
                        found.add(new WorkflowPattern(rows.getString(1), rows.getLong(2),
                                scored == 0 ? null : rows.getDouble(3) / scored));
                    }
                }
                return found;
            }
        });
        // Ordered here, so that workflow text compares as Java strings whatever the collation.
        patterns.sort(Comparator.comparingLong(WorkflowPattern::sessions).reversed()
                .thenComparing(WorkflowPattern::workflow));
        return patterns;
    }

    @Override
    public List<AgentUsage> agents(Instant from, Instant until) {
        String table = relation.apply("coordinator_events");
        String where = " WHERE agent_id IS NOT NULL" + range(" AND ", "ts", from, until);
        String perAction = "SELECT agent_id, action, count(*), sum(duration_ms), count(duration_ms) FROM " + table + where
                + " GROUP BY agent_id, action";
        String sessions = "SELECT agent_id, count(DISTINCT session_id) FROM " + table + where + " GROUP BY agent_id";
        return reads.inReadTransaction("count agent usage", connection -> {
            Map<String, long[]> totals = new TreeMap<>();
            Map<String, Map<String, Long>> actions = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(perAction)) {
                bind(statement, 1, from, until);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String agent = rows.getString(1);
                        String action = rows.getString(2);
                        long[] t = totals.computeIfAbsent(agent, a -> new long[4]);
                        t[0] += rows.getLong(3);
                        t[1] += rows.getLong(4);
                        t[2] += rows.getLong(5);
                        Map<String, Long> counts = actions.computeIfAbsent(agent, a -> new HashMap<>());
                        if (action != null) {
                            counts.put(action, rows.getLong(3));
                        }
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(sessions)) {
                bind(statement, 1, from, until);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        totals.get(rows.getString(1))[3] = rows.getLong(2);
                    }
                }
            }
            List<AgentUsage> usage = new ArrayList<>();
            totals.forEach((agent, t) -> usage.add(new AgentUsage(agent, t[0], actions.get(agent),
                    t[2] == 0 ? null : (double) t[1] / t[2], t[3])));
            return usage;
        });
    }

    @Override
    public List<String> failingTools(String sessionId) {
        String sql = "SELECT DISTINCT tool_name FROM " + relation.apply("tool_events")
                + " WHERE session_id = ? AND NOT success AND tool_name IS NOT NULL";
        List<String> failing = reads.inReadTransaction("read the failing tools of session " + sessionId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, sessionId);
                List<String> names = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
                return names;
            }
        });
        failing.sort(Comparator.naturalOrder());
        return failing;
    }

    @Override
    public SessionQuality quality(Instant from, Instant until) {
        String sql = String.format(QUALITY, range(" WHERE ", "last_ts", from, until))
                .replace("session_summary_view", relation.apply("session_summary_view"));
        return reads.inReadTransaction("compute session quality", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, 1, from, until);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return new SessionQuality(rows.getLong(1), rows.getLong(2), nullableDouble(rows, 3),
                            nullableDouble(rows, 4), nullableDouble(rows, 5), rows.getLong(6), rows.getLong(7),
                            rows.getLong(8));
                }
            }
        });
    }

    private SessionSummary summary(ResultSet rows) throws SQLException {
        return new SessionSummary(rows.getString(1), tsReader.read(rows, 2), tsReader.read(rows, 3), rows.getLong(4),
                rows.getLong(5), rows.getLong(6), nullableDouble(rows, 7), rows.getLong(8), rows.getString(9),
                nullableDouble(rows, 10), nullableDouble(rows, 11), rows.getString(12), nullableLong(rows, 13),
                rows.getString(14), nullableDouble(rows, 15));
    }

    private static String range(String joiner, String column, Instant from, Instant until) {
        if (from == null && until == null) {
            return "";
        }
        if (until == null) {
            return joiner + column + " >= ?";
        }
        return joiner + (from == null ? column + " < ?" : column + " >= ? AND " + column + " < ?");
    }

    private void bind(PreparedStatement statement, int first, Instant from, Instant until) throws SQLException {
        int index = first;
        if (from != null) {
            binder.bind(statement, index++, from);
        }
        if (until != null) {
            binder.bind(statement, index, until);
        }
    }

    private static Double nullableDouble(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}
