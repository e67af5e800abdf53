package dev.eventlog.jdbc;

import dev.eventlog.Event;
import dev.eventlog.analytics.SessionScore;
import dev.eventlog.analytics.SessionSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changelog's {@value #TABLE} table: one row per session, the fields of
 * {@code session_summary_view}, which the session questions over many sessions read instead of
 * grouping every event on each call. Appends never write it. {@link #refresh} brings it up to
 * date in the caller's write transaction by recomputing, from all their events, the sessions
 * appended to since the last refresh — found by a rowid mark per table where one writer appends
 * at a time ({@link SqlDialect#rowidMarks()}, SQLite: nothing on the append path), else listed in
 * {@value #DIRTY} by the append's own transaction ({@link #appending}, PostgreSQL: one insert per
 * batch) — and those whose events were removed ({@link #removing}). Recomputing a whole session makes a refresh idempotent: a refresh that
 * fails rolls back and the next one does the same work. Immutable and thread-safe; the
 * transactions given to it are the caller's.
 */
final class SessionSummaries {
    /** The summary table. */
    static final String TABLE = "session_summary";
    /** The sessions to recompute at the next refresh. */
    static final String DIRTY = "session_dirty";
    /** Per workflow: sessions, the sum of their scores in tenths, how many have a score. */
    static final String WORKFLOWS = "workflow_summary";
    /** SQLite: the highest rowid of each event table already summarised. */
    static final String MARKS = "session_summary_marks";
    /** The temporary table of the sessions one refresh recomputes. */
    private static final String REFRESHING = "eventlog_session_refresh";

    /** Every event table, in the order of the view's union (tools first). */
    static final List<String> TABLES = List.of("tool_events", "git_events", "self_heal_events",
            "recovery_events", "routing_metrics_events", "session_outcome_events", "activity_events",
            "coordinator_events", "expertise_routing_events", "custom_events");

    /** The summary's columns, in the order of {@link #read} and of the table. */
    static final String COLUMNS = "session_id, first_ts, last_ts, events, tool_calls, tool_failures,"
            + " tool_success_rate, distinct_tools, outcome, quality, cost_usd, model, messages_count, workflow,"
            + " success_score";

    private final SqlDialect dialect;
    private final StaleKeys<String> stale;

    SessionSummaries(SqlDialect dialect) {
        this.dialect = dialect;
        this.stale = new StaleKeys<>(dialect, DIRTY, "session_id", MARKS, "session_id", ResultSet::getString,
                PreparedStatement::setString);
    }

    /**
     * Brings the summary up to date in {@code tx}, an open write transaction that the caller
     * commits: takes the changed sessions (advancing the marks or emptying {@value #DIRTY}),
     * recomputes each from its events and replaces its row, or deletes it when no event is left.
     *
     * @return how many sessions were recomputed
     */
    int refresh(Connection tx) throws SQLException {
        Set<String> changed = new LinkedHashSet<>();
        stale.take(tx, changed);
        if (changed.isEmpty()) {
            return 0;
        }
        recompute(tx, changed);
        return changed.size();
    }

    /**
     * Records, in the transaction that appends them, that the sessions of {@code batch} must be
     * recomputed at the next refresh — where appends are not found by rowid marks (PostgreSQL):
     * one multi-row insert of the batch's distinct session ids into {@value #DIRTY}, committed
     * with the events, so a transaction that commits late is found by the refresh after it commits.
     */
    void appending(Connection tx, List<? extends Event> batch) throws SQLException {
        if (dialect.rowidMarks()) {
            return;
        }
        Set<String> sessions = null;
        for (Event event : batch) {
            if (event.sessionId() != null) {
                if (sessions == null) {
                    sessions = new LinkedHashSet<>();
                }
                sessions.add(event.sessionId());
            }
        }
        if (sessions != null) {
            stale.mark(tx, sessions);
        }
    }

    /**
     * Records, in the transaction that removes them, that the sessions of events about to be
     * removed must be recomputed at the next refresh; null ids are skipped.
     */
    void removing(Connection tx, Collection<String> sessionIds) throws SQLException {
        Set<String> distinct = new LinkedHashSet<>(sessionIds);
        distinct.remove(null);
        if (!distinct.isEmpty()) {
            stale.mark(tx, distinct);
        }
    }

    /**
     * After rows of {@code table} were deleted in {@code tx}: SQLite gives a new row the rowid
     * after the largest one left, which may be at or below the mark once the newest rows are gone,
     * so the mark comes down to the largest rowid left.
     */
    void removed(Connection tx, String table) throws SQLException {
        stale.removed(tx, table);
    }

    private void recompute(Connection tx, Set<String> sessions) throws SQLException {
        try (Statement statement = tx.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS " + REFRESHING + " (session_id TEXT PRIMARY KEY)");
            statement.execute("DELETE FROM " + REFRESHING);
        }
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO " + REFRESHING + " (session_id) VALUES (?)")) {
            for (String id : sessions) {
                insert.setString(1, id);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        if (dialect.analyzeTemporary() != null) {
            try (Statement statement = tx.createStatement()) {
                statement.execute(String.format(dialect.analyzeTemporary(), REFRESHING));
            }
        }
        String table = dialect.relation(TABLE);
        List<SessionSummary> summaries = new ArrayList<>(sessions.size());
        Map<String, long[]> workflows = new HashMap<>();
        try (Statement statement = tx.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT workflow, success_score FROM " + table
                    + " WHERE workflow IS NOT NULL AND session_id IN (SELECT session_id FROM " + REFRESHING + ")")) {
                while (rows.next()) {
                    count(workflows, rows.getString(1), nullableDouble(rows, 2), -1);
                }
            }
            statement.executeUpdate("DELETE FROM " + table + " WHERE session_id IN (SELECT session_id FROM " + REFRESHING + ")");
            try (ResultSet rows = statement.executeQuery(
                    query(dialect, "session_id IN (SELECT session_id FROM " + REFRESHING + ")"))) {
                while (rows.next()) {
                    SessionSummary summary = readComputed(rows, dialect);
                    summaries.add(summary);
                    if (summary.workflow() != null) {
                        count(workflows, summary.workflow(), summary.successScore(), 1);
                    }
                }
            }
        }
        applyWorkflows(tx, workflows);
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (SessionSummary s : summaries) {
                insert.setString(1, s.sessionId());
                dialect.bindTime(insert, 2, s.firstTs());
                dialect.bindTime(insert, 3, s.lastTs());
                insert.setLong(4, s.events());
                insert.setLong(5, s.toolCalls());
                insert.setLong(6, s.toolFailures());
                setDouble(insert, 7, s.toolSuccessRate());
                insert.setLong(8, s.distinctTools());
                insert.setString(9, s.outcome());
                setDouble(insert, 10, s.quality());
                setDouble(insert, 11, s.costUsd());
                insert.setString(12, s.model());
                if (s.messagesCount() == null) {
                    insert.setNull(13, Types.BIGINT);
                } else {
                    insert.setLong(13, s.messagesCount());
                }
                insert.setString(14, s.workflow());
                setDouble(insert, 15, s.successScore());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (Statement statement = tx.createStatement()) {
            statement.execute("DELETE FROM " + REFRESHING);
        }
    }

    /** Adds ({@code sign} 1) or takes away (-1) one session of {@code workflow} with {@code score}. */
    private static void count(Map<String, long[]> workflows, String workflow, Double score, int sign) {
        long[] delta = workflows.computeIfAbsent(workflow, w -> new long[3]);
        delta[0] += sign;
        if (score != null) {
            delta[1] += sign * Math.round(score * 10);
            delta[2] += sign;
        }
    }

    /**
     * Applies the changes of sessions, score tenths and scored sessions per workflow to
     * {@value #WORKFLOWS}; a workflow left with no session goes.
     */
    private void applyWorkflows(Connection tx, Map<String, long[]> workflows) throws SQLException {
        String table = dialect.relation(WORKFLOWS);
        try (PreparedStatement update = tx.prepareStatement("UPDATE " + table + " SET sessions = sessions + ?,"
                + " score_tenths = score_tenths + ?, scored = scored + ? WHERE workflow = ?");
                PreparedStatement insert = tx.prepareStatement("INSERT INTO " + table
                        + " (workflow, sessions, score_tenths, scored) VALUES (?, ?, ?, ?)")) {
            // Batched both ways: the first refresh after a load touches every workflow.
            List<Map.Entry<String, long[]>> changed = new ArrayList<>();
            for (Map.Entry<String, long[]> entry : workflows.entrySet()) {
                long[] delta = entry.getValue();
                if (delta[0] != 0 || delta[1] != 0 || delta[2] != 0) {
                    changed.add(entry);
                    update.setLong(1, delta[0]);
                    update.setLong(2, delta[1]);
                    update.setLong(3, delta[2]);
                    update.setString(4, entry.getKey());
                    update.addBatch();
                }
            }
            if (changed.isEmpty()) {
                return;
            }
            int[] updated = update.executeBatch();
            boolean inserts = false;
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] == 0) {
                    long[] delta = changed.get(i).getValue();
                    insert.setString(1, changed.get(i).getKey());
                    insert.setLong(2, delta[0]);
                    insert.setLong(3, delta[1]);
                    insert.setLong(4, delta[2]);
                    insert.addBatch();
                    inserts = true;
                }
            }
            if (inserts) {
                insert.executeBatch();
            }
        }
        try (Statement statement = tx.createStatement()) {
            statement.executeUpdate("DELETE FROM " + table + " WHERE sessions <= 0");
        }
    }

    private static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    /**
     * The inner query of {@code session_summary_view} for the sessions that {@code condition} (on
     * {@code session_id}) picks, put in each arm of the union of every table so that each arm is an
     * index search (SQLite does not push a condition through the view's grouped union). Its columns
     * are the summary's but the score, which {@link #readComputed} computes.
     */
    static String query(SqlDialect dialect, String condition) {
        StringBuilder union = new StringBuilder();
        for (String table : TABLES) {
            boolean tools = table.equals("tool_events");
            union.append(union.length() == 0 ? "" : " UNION ALL ")
                    .append(tools ? "SELECT session_id, ts, 1 AS is_tool, tool_name, CASE WHEN success THEN 1 ELSE 0 END"
                            + " AS ok, CASE WHEN NOT success THEN 1 ELSE 0 END AS failed"
                            : "SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0")
                    .append(" FROM ").append(dialect.relation(table)).append(" WHERE ").append(condition);
        }
        StringBuilder workflow = new StringBuilder("max(CASE WHEN step = 1 THEN tool_name END)");
        for (int step = 2; step <= 5; step++) {
            workflow.append(" || coalesce('>' || max(CASE WHEN step = ").append(step).append(" THEN tool_name END), '')");
        }
        String outcomes = dialect.relation("session_outcome_events");
        return "SELECT e.session_id, e.first_ts, e.last_ts, e.events, e.tool_calls, e.tool_failures,"
                + " CASE WHEN e.tool_successes + e.tool_failures = 0 THEN NULL"
                + " ELSE CAST(e.tool_successes AS DOUBLE PRECISION) / (e.tool_successes + e.tool_failures) END,"
                + " e.distinct_tools, o.outcome, o.quality, o.cost_usd, o.model, o.messages_count,"
                + " (SELECT " + workflow + " FROM (SELECT tool_name, row_number() OVER (ORDER BY ts, id) AS step"
                + " FROM (SELECT tool_name, ts, id, lag(tool_name) OVER (ORDER BY ts, id) AS previous FROM "
                + dialect.relation("tool_events") + " t WHERE t.session_id = e.session_id AND t.tool_name IS NOT NULL) named"
                + " WHERE previous IS NULL OR previous <> tool_name) collapsed WHERE step <= 5)"
                + " FROM (SELECT session_id, min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS events,"
                + " sum(is_tool) AS tool_calls, sum(ok) AS tool_successes, sum(failed) AS tool_failures,"
                + " count(DISTINCT tool_name) AS distinct_tools FROM (" + union + ") session_events"
                + " GROUP BY session_id) e"
                + " LEFT JOIN " + outcomes + " o ON o.id = (SELECT x.id FROM " + outcomes + " x"
                + " WHERE x.session_id = e.session_id ORDER BY x.ts DESC, x.id DESC LIMIT 1)";
    }

    /** A row of {@link #query}, its score computed by {@link SessionScore}, the rule the view follows. */
    static SessionSummary readComputed(ResultSet rows, SqlDialect dialect) throws SQLException {
        Double rate = nullableDouble(rows, 7);
        String outcome = rows.getString(9);
        Double quality = nullableDouble(rows, 10);
        return new SessionSummary(rows.getString(1), dialect.readTime(rows, 2), dialect.readTime(rows, 3),
                rows.getLong(4), rows.getLong(5), rows.getLong(6), rate, rows.getLong(8), outcome, quality,
                nullableDouble(rows, 11), rows.getString(12), nullableLong(rows, 13), rows.getString(14),
                SessionScore.score(rate, outcome, quality));
    }

    /** A row of {@link #COLUMNS}. */
    static SessionSummary read(ResultSet rows, SqlDialect dialect) throws SQLException {
        return new SessionSummary(rows.getString(1), dialect.readTime(rows, 2), dialect.readTime(rows, 3),
                rows.getLong(4), rows.getLong(5), rows.getLong(6), nullableDouble(rows, 7), rows.getLong(8),
                rows.getString(9), nullableDouble(rows, 10), nullableDouble(rows, 11), rows.getString(12),
                nullableLong(rows, 13), rows.getString(14), nullableDouble(rows, 15));
    }

    static Double nullableDouble(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}
