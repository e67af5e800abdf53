package dev.eventlog.jdbc;

import dev.eventlog.analytics.AgentUsage;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.analytics.SessionQuality;
import dev.eventlog.analytics.SessionReport;
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

/**
 * The session questions asked of the SQL stores' {@code session_summary} table (one row per
 * session, kept by {@link SessionSummaries}, which every question over many sessions brings up to
 * date first) and of {@code coordinator_events}; one session's summary and its failing tools are
 * read from its own events. Both databases run the same SQL; the store's {@link SqlDialect} says
 * how it binds and reads a time, how it names a relation and which collation orders text by code
 * point. Thread-safe (no mutable state).
 */
public final class SqlSessionAnalytics implements SessionAnalytics {
    /** Runs work in one transaction of the store. */
    public interface Reads {
        /**
         * Runs {@code work} on a read connection inside one transaction.
         *
         * @param what what the work does, for the failure message
         * @throws dev.eventlog.StoreException when the work fails
         */
        <T> T inReadTransaction(String what, Work<T> work);

        /**
         * Runs {@code work} on the write connection inside one transaction.
         *
         * @param what what the work does, for the failure message
         * @throws dev.eventlog.StoreException when the work fails
         */
        <T> T inWriteTransaction(String what, Work<T> work);
    }

    /** Work done on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work. */
        T apply(Connection connection) throws SQLException;
    }

    private static final String SUMMARY = SessionSummaries.TABLE;

    private final Reads reads;
    private final SqlDialect dialect;
    private final SessionSummaries summaries;

    /**
     * @param reads how to run a read or write transaction
     * @param dialect how the store spells times and names
     */
    public SqlSessionAnalytics(Reads reads, SqlDialect dialect) {
        this.reads = reads;
        this.dialect = dialect;
        this.summaries = new SessionSummaries(dialect);
    }

    /**
     * Brings the {@code session_summary} table up to date: recomputes, from their events, the
     * sessions appended to or removed from since the last refresh, in one write transaction. Every
     * question over many sessions does it first; {@code eventlog maintain} does it too.
     *
     * @return how many sessions were recomputed
     * @throws dev.eventlog.StoreException when the store cannot be read or written
     */
    @Override
    public int refresh() {
        return reads.inWriteTransaction("bring " + SUMMARY + " up to date", summaries::refresh);
    }

    /**
     * One session's summary, read from its own events (each arm of the union an index search on
     * {@code session_id}), its score computed with {@link dev.eventlog.analytics.SessionScore}, the
     * rule the view follows; the contract kit checks that both give the same summaries.
     */
    @Override
    public Optional<SessionSummary> session(String sessionId) {
        if (sessionId == null) {
            return Optional.empty();
        }
        String sql = SessionSummaries.query(dialect, "session_id = ?");
        return reads.inReadTransaction("read session " + sessionId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 1; i <= SessionSummaries.TABLES.size(); i++) {
                    statement.setString(i, sessionId);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(SessionSummaries.readComputed(rows, dialect))
                            : Optional.<SessionSummary>empty();
                }
            }
        });
    }

    @Override
    public List<SessionSummary> sessions(Instant from, Instant until, int limit) {
        refresh();
        return readSessions(from, until, limit);
    }

    private List<SessionSummary> readSessions(Instant from, Instant until, int limit) {
        String sql = "SELECT " + SessionSummaries.COLUMNS + " FROM " + dialect.relation(SUMMARY)
                + range(" WHERE ", "last_ts", from, until) + " ORDER BY last_ts DESC, session_id"
                + dialect.binaryCollation() + (limit > 0 ? " LIMIT " + limit : "");
        return reads.inReadTransaction("list sessions", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, 1, from, until);
                List<SessionSummary> sessions = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sessions.add(SessionSummaries.read(rows, dialect));
                    }
                }
                return sessions;
            }
        });
    }

    @Override
    public List<WorkflowPattern> workflows(Instant from, Instant until) {
        refresh();
        return readWorkflows(from, until);
    }

    /**
     * Over all time, the rows of {@code workflow_summary}, which the refresh keeps per workflow;
     * over a range, the summary's sessions in it grouped by workflow.
     */
    private List<WorkflowPattern> readWorkflows(Instant from, Instant until) {
        boolean allTime = from == null && until == null;
        String sql = allTime ? "SELECT workflow, sessions, score_tenths / 10.0, scored FROM "
                + dialect.relation(SessionSummaries.WORKFLOWS)
                : "SELECT workflow, count(*), sum(success_score), count(success_score) FROM "
                + dialect.relation(SUMMARY) + " WHERE workflow IS NOT NULL"
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
        String table = dialect.relation("coordinator_events");
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
        String sql = "SELECT DISTINCT tool_name FROM " + dialect.relation("tool_events")
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
        refresh();
        return readQuality(from, until);
    }

    /**
     * The scores of the sessions in range counted per distinct score, in one grouped pass over the
     * summary (scores are rounded to one decimal, so there are at most 1 001 of them); the counts,
     * mean, median, nearest-rank 90th percentile and tiers are then read off that histogram.
     */
    private SessionQuality readQuality(Instant from, Instant until) {
        String sql = "SELECT success_score, count(*) FROM " + dialect.relation(SUMMARY)
                + range(" WHERE ", "last_ts", from, until) + " GROUP BY success_score";
        return reads.inReadTransaction("compute session quality", connection -> {
            TreeMap<Double, Long> histogram = new TreeMap<>();
            long unscored = 0;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, 1, from, until);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Double score = SessionSummaries.nullableDouble(rows, 1);
                        if (score == null) {
                            unscored += rows.getLong(2);
                        } else {
                            histogram.merge(score, rows.getLong(2), Long::sum);
                        }
                    }
                }
            }
            return fromHistogram(histogram, unscored);
        });
    }

    /** The quality of sessions whose scores are counted in {@code histogram} (ascending), plus {@code unscored}. */
    static SessionQuality fromHistogram(TreeMap<Double, Long> histogram, long unscored) {
        long scored = 0;
        double sum = 0;
        long high = 0;
        long medium = 0;
        long low = 0;
        for (Map.Entry<Double, Long> bucket : histogram.entrySet()) {
            double score = bucket.getKey();
            long count = bucket.getValue();
            scored += count;
            sum += score * count;
            if (score >= 80) {
                high += count;
            } else if (score >= 50) {
                medium += count;
            } else {
                low += count;
            }
        }
        if (scored == 0) {
            return new SessionQuality(unscored, 0, null, null, null, 0, 0, 0);
        }
        double median = (scoreAt(histogram, (scored + 1) / 2) + scoreAt(histogram, (scored + 2) / 2)) / 2;
        return new SessionQuality(scored + unscored, scored, sum / scored, median,
                scoreAt(histogram, (9 * scored + 9) / 10), high, medium, low);
    }

    /** The score at 1-based {@code rank} in ascending order. */
    private static double scoreAt(TreeMap<Double, Long> histogram, long rank) {
        long seen = 0;
        for (Map.Entry<Double, Long> bucket : histogram.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return bucket.getKey();
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond " + seen + " scores");
    }

    /** Everything at once, after one refresh of the summary. */
    @Override
    public SessionReport report(Instant from, Instant until, int limit) {
        refresh();
        return new SessionReport(readSessions(from, until, limit), readWorkflows(from, until), agents(from, until),
                readQuality(from, until));
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

    /** Binds the range from parameter {@code first}; returns the index of the next parameter. */
    private int bind(PreparedStatement statement, int first, Instant from, Instant until) throws SQLException {
        int index = first;
        if (from != null) {
            dialect.bindTime(statement, index++, from);
        }
        if (until != null) {
            dialect.bindTime(statement, index++, until);
        }
        return index;
    }
}
