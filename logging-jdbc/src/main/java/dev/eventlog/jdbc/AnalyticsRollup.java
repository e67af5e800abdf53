package dev.eventlog.jdbc;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.AnalyticsTally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The changelog's per-day analytics summaries (the {@code analytics_day_*} tables), from which the
 * analytics of a range are answered: the whole UTC days of {@code [from, until)} from the
 * summaries, the partial days at its two edges from the events (the {@link SqlAnalytics}
 * questions), added up by {@link AnalyticsTally} with the definitions of
 * {@link dev.eventlog.analytics.EventAnalytics}. The duration percentiles stay exact: each day keeps,
 * per tool, how many uses took each distinct duration ({@value #DURATIONS}) and the same counts per
 * bucket ({@value #BUCKETS}, 8 buckets per doubling of the duration, {@link #bucket}); a percentile's
 * rank is located in the buckets, then only that bucket's distinct durations are read.
 *
 * <p>Kept like the session summary ({@link SessionSummaries}): appends never write the summaries;
 * {@link #refresh} recomputes, from the events, the days appended to since the last refresh — found
 * by a rowid mark per table where one writer appends at a time ({@link SqlDialect#rowidMarks()},
 * SQLite: nothing on the append path), else listed in {@value #DIRTY} by the append's own
 * transaction ({@link #appending}, PostgreSQL: one small insert per batch) — and the days of removed
 * events ({@link #removing}). Recomputing whole days makes a refresh idempotent. Immutable and
 * thread-safe; the transactions given to it are the caller's.
 */
final class AnalyticsRollup {
    /** Events per day and kind. */
    static final String KINDS = "analytics_day_kinds";
    /** Per day, question and group: events, true flags, sums and counts. */
    static final String GROUPS = "analytics_day_groups";
    /** Per day, tool and distinct duration: how many uses took it. */
    static final String DURATIONS = "analytics_day_durations";
    /** Per day, tool and duration bucket: how many uses fell in it. */
    static final String BUCKETS = "analytics_day_buckets";
    /** The days to recompute at the next refresh. */
    static final String DIRTY = "analytics_day_dirty";
    /** SQLite: the highest rowid of each event table already summarised. */
    static final String MARKS = "analytics_day_marks";
    private static final long DAY_MILLIS = 86_400_000L;
    private static final int MARK_ROWS = 500;
    /** From this many days recomputed at once, a refresh gives PostgreSQL's planner new statistics of the summaries. */
    private static final int ANALYZE_DAYS = 28;
    private static final int[] PERCENTILES = {50, 95};

    /** A group question of {@value #GROUPS}: its name, its view, its group columns and its measures. */
    private enum Group {
        ROUTING("routing", "analytics_routing_view", "predicted_model", "NULL", "sum(accurate), 0, 0, 0, 0, 0"),
        ROUTING_MATRIX("routing_matrix", "analytics_routing_matrix_view", "predicted_model", "actual_model",
                "0, 0, 0, 0, 0, 0"),
        SELF_HEAL("self_heal", "analytics_self_heal_view", "error_pattern", "NULL", "sum(succeeded), 0, 0, 0, 0, 0"),
        RECOVERY("recovery", "analytics_recovery_view", "recovery_strategy", "NULL",
                "sum(succeeded), coalesce(sum(time_to_recover_ms), 0), count(time_to_recover_ms), 0, 0, 0"),
        SESSIONS("sessions", "analytics_session_view", "outcome", "NULL",
                "0, 0, 0, coalesce(sum(quality), 0), count(quality), coalesce(sum(cost_usd), 0)"),
        TOOLS("tools", "analytics_tool_use_view", "tool_name", "NULL", "sum(succeeded), 0, 0, 0, 0, 0"),
        GIT("git", "analytics_git_commits_view", "repo", "NULL", "0, 0, 0, 0, 0, 0");

        final String key;
        final String view;
        final String group;
        final String group2;
        final String measures;

        Group(String key, String view, String group, String group2, String measures) {
            this.key = key;
            this.view = view;
            this.group = group;
            this.group2 = group2;
            this.measures = measures;
        }
    }

    private final SqlDialect dialect;
    private final StaleKeys<Long> stale;

    AnalyticsRollup(SqlDialect dialect) {
        this.dialect = dialect;
        this.stale = new StaleKeys<>(dialect, DIRTY, "epoch_day", MARKS, dialect.epochDay("ts"),
                ResultSet::getLong, (insert, index, day) -> insert.setInt(index, Math.toIntExact(day)));
    }

    /**
     * The bucket of a duration in {@value #BUCKETS}, increasing with the duration: every negative
     * duration is bucket -1, 0 to 7 are their own buckets, and each doubling {@code [2^k, 2^(k+1))}
     * from 8 on is cut into 8 buckets of equal width. {@link #bucketSql} computes the same in SQL.
     */
    static long bucket(long durationMs) {
        if (durationMs < 0) {
            return -1;
        }
        if (durationMs < 8) {
            return durationMs;
        }
        int k = 63 - Long.numberOfLeadingZeros(durationMs);
        return 8L * (k - 2) + ((durationMs - (1L << k)) >> (k - 3));
    }

    /** {@link #bucket} of the SQL integer expression {@code d}, in SQL both databases run. */
    static String bucketSql(String d) {
        StringBuilder sql = new StringBuilder("CASE WHEN ").append(d).append(" < 0 THEN -1 WHEN ").append(d)
                .append(" < 8 THEN ").append(d);
        for (int k = 3; k <= 61; k++) {
            sql.append(" WHEN ").append(d).append(" < ").append(1L << (k + 1)).append(" THEN ").append(8L * (k - 2))
                    .append(" + (").append(d).append(" - ").append(1L << k).append(") / ").append(1L << (k - 3));
        }
        return sql.append(" ELSE ").append(8L * 60).append(" + (").append(d).append(" - ").append(1L << 62)
                .append(") / ").append(1L << 59).append(" END").toString();
    }

    /**
     * Brings the summaries up to date in {@code tx}, an open write transaction that the caller
     * commits: takes the changed days (advancing the marks or emptying {@value #DIRTY}) and
     * recomputes each run of consecutive days from its events.
     *
     * @return how many days were recomputed
     */
    int refresh(Connection tx) throws SQLException {
        TreeSet<Long> days = new TreeSet<>();
        stale.take(tx, days);
        Iterator<Long> each = days.iterator();
        if (!each.hasNext()) {
            return 0;
        }
        long first = each.next();
        long last = first;
        while (each.hasNext()) {
            long day = each.next();
            if (day != last + 1) {
                recompute(tx, first, last);
                first = day;
            }
            last = day;
        }
        recompute(tx, first, last);
        if (days.size() >= ANALYZE_DAYS && dialect.analyzeTemporary() != null) {
            // A first fill or a large catch-up: without statistics PostgreSQL would guess the sizes of the summaries.
            try (Statement statement = tx.createStatement()) {
                for (String table : List.of(KINDS, GROUPS, DURATIONS, BUCKETS)) {
                    statement.execute(String.format(dialect.analyzeTemporary(), dialect.relation(table)));
                }
            }
        }
        return days.size();
    }

    /**
     * Records, in the transaction that appends them, that the days of {@code batch} must be
     * recomputed at the next refresh — where appends are not found by rowid marks (PostgreSQL):
     * one insert of the batch's distinct days (mostly one) into {@value #DIRTY}, committed with the
     * events, so a transaction that commits late is found by the refresh after it commits.
     */
    void appending(Connection tx, List<? extends Event> batch) throws SQLException {
        if (dialect.rowidMarks() || batch.isEmpty()) {
            return;
        }
        TreeSet<Long> days = new TreeSet<>();
        long previous = Long.MIN_VALUE;
        for (Event event : batch) {
            long day = Math.floorDiv(event.ts().toEpochMilli(), DAY_MILLIS);
            // A batch's events are mostly of one day: look the set up only when the day changes.
            if (day != previous) {
                days.add(day);
                previous = day;
            }
        }
        stale.mark(tx, days);
    }

    /** Records, in the transaction that removes them, that the days of events at {@code times} must be recomputed. */
    void removing(Connection tx, Collection<Instant> times) throws SQLException {
        TreeSet<Long> days = new TreeSet<>();
        for (Instant ts : times) {
            days.add(Math.floorDiv(ts.toEpochMilli(), DAY_MILLIS));
        }
        stale.mark(tx, days);
    }

    /**
     * After rows of {@code table} were deleted in {@code tx}: SQLite gives a new row the rowid
     * after the largest one left, which may be at or below the mark once the newest rows are gone,
     * so the mark comes down to the largest rowid left.
     */
    void removed(Connection tx, String table) throws SQLException {
        stale.removed(tx, table);
    }

    /**
     * Replaces the summaries of the days {@code first} to {@code last} (included) by those of their
     * events. Rows are inserted in the order the answers read them (the durations by tool, bucket and
     * day; the rest by day), so that a month's rows lie in few pages: inserted in the order of a hashed
     * grouping, the percentile lookups of one month read a page per row.
     */
    private void recompute(Connection tx, long first, long last) throws SQLException {
        for (String table : List.of(KINDS, GROUPS, DURATIONS, BUCKETS)) {
            try (PreparedStatement delete = tx.prepareStatement("DELETE FROM " + dialect.relation(table)
                    + " WHERE epoch_day >= ? AND epoch_day <= ?")) {
                delete.setLong(1, first);
                delete.setLong(2, last);
                delete.executeUpdate();
            }
        }
        Instant from = Instant.ofEpochMilli(first * DAY_MILLIS);
        Instant until = Instant.ofEpochMilli((last + 1) * DAY_MILLIS);
        String day = dialect.epochDay("ts");
        insertInRange(tx, "INSERT INTO " + dialect.relation(KINDS) + " (epoch_day, kind, events)"
                + " SELECT epoch_day, kind, count(*) FROM " + dialect.relation("analytics_event_days_view")
                + " WHERE ts >= ? AND ts < ? GROUP BY epoch_day, kind ORDER BY epoch_day, kind", from, until);
        for (Group group : Group.values()) {
            String keys = group.group + ("NULL".equals(group.group2) ? "" : ", " + group.group2);
            insertInRange(tx, "INSERT INTO " + dialect.relation(GROUPS) + " (epoch_day, question, group_key, group_key2,"
                    + " events, hits, long_sum, long_count, real_sum, real_count, real_sum2)"
                    + " SELECT " + day + ", '" + group.key + "', " + group.group + ", " + group.group2 + ", count(*), "
                    + group.measures + " FROM " + dialect.relation(group.view)
                    + " WHERE ts >= ? AND ts < ? GROUP BY " + day + ", " + keys + " ORDER BY 1", from, until);
        }
        insertInRange(tx, "INSERT INTO " + dialect.relation(DURATIONS) + " (epoch_day, tool_name, bucket, duration_ms, events)"
                + " SELECT " + day + ", tool_name, " + bucketSql("duration_ms") + ", duration_ms, count(*) FROM "
                + dialect.relation("analytics_tool_use_view") + " WHERE tool_name IS NOT NULL AND duration_ms IS NOT NULL"
                + " AND ts >= ? AND ts < ? GROUP BY " + day + ", tool_name, duration_ms ORDER BY 2, 3, 1, 4", from, until);
        try (PreparedStatement buckets = tx.prepareStatement("INSERT INTO " + dialect.relation(BUCKETS)
                + " (epoch_day, tool_name, bucket, events) SELECT epoch_day, tool_name, bucket, sum(events) FROM "
                + dialect.relation(DURATIONS) + " WHERE epoch_day >= ? AND epoch_day <= ?"
                + " GROUP BY epoch_day, tool_name, bucket ORDER BY epoch_day, tool_name, bucket")) {
            buckets.setLong(1, first);
            buckets.setLong(2, last);
            buckets.executeUpdate();
        }
    }

    private void insertInRange(Connection tx, String sql, Instant from, Instant until) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(sql)) {
            dialect.bindTime(insert, 1, from);
            dialect.bindTime(insert, 2, until);
            insert.executeUpdate();
        }
    }

    /**
     * The analytics of {@code [from, until)} on {@code connection} (one read transaction, the
     * caller's): the whole days from the summaries, the partial days at the edges from the events;
     * a range within one day is asked of the events alone.
     */
    Analytics answer(Connection connection, Instant from, Instant until) throws SQLException {
        long firstDay = from == null ? Long.MIN_VALUE : Math.floorDiv(from.toEpochMilli() + DAY_MILLIS - 1, DAY_MILLIS);
        long endDay = until == null ? Long.MAX_VALUE : Math.floorDiv(until.toEpochMilli(), DAY_MILLIS);
        if (firstDay >= endDay) {
            return SqlAnalytics.compute(connection, dialect::bindTime, dialect::relation, from, until);
        }
        AnalyticsTally tally = new AnalyticsTally();
        Durations durations = new Durations();
        if (from != null && from.toEpochMilli() < firstDay * DAY_MILLIS) {
            fromEvents(connection, from, Instant.ofEpochMilli(firstDay * DAY_MILLIS), tally, durations);
        }
        if (until != null && until.toEpochMilli() > endDay * DAY_MILLIS) {
            fromEvents(connection, Instant.ofEpochMilli(endDay * DAY_MILLIS), until, tally, durations);
        }
        fromSummaries(connection, firstDay, endDay, tally);
        durations.percentiles(connection, firstDay, endDay, tally);
        return tally.toAnalytics(from, until);
    }

    /** Adds the events of {@code [from, until)}, part of one day, to {@code tally} and their durations to {@code durations}. */
    private void fromEvents(Connection connection, Instant from, Instant until, AnalyticsTally tally,
            Durations durations) throws SQLException {
        for (SqlAnalytics.Question question : SqlAnalytics.Question.values()) {
            if (question != SqlAnalytics.Question.TOOL_DURATION_PERCENTILES) {
                question.ask(connection, dialect::bindTime, dialect::relation, from, until, tally);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT tool_name, duration_ms, count(*) FROM "
                + dialect.relation("analytics_tool_use_view") + " WHERE tool_name IS NOT NULL AND duration_ms IS NOT NULL"
                + " AND ts >= ? AND ts < ? GROUP BY tool_name, duration_ms")) {
            dialect.bindTime(statement, 1, from);
            dialect.bindTime(statement, 2, until);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    durations.addEdge(rows.getString(1), rows.getLong(2), rows.getLong(3));
                }
            }
        }
    }

    /** Adds the summarised days {@code [firstDay, endDay)} but the durations to {@code tally}. */
    private void fromSummaries(Connection connection, long firstDay, long endDay, AnalyticsTally tally)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT epoch_day, kind, events FROM "
                + dialect.relation(KINDS) + " WHERE epoch_day >= ? AND epoch_day < ?")) {
            statement.setLong(1, firstDay);
            statement.setLong(2, endDay);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(2);
                    EventKind kind = EventKind.fromKey(key).orElseThrow(
                            () -> new IllegalStateException(KINDS + " has an unknown kind " + key));
                    tally.events(kind, LocalDate.ofEpochDay(rows.getLong(1)), rows.getLong(3));
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT question, group_key, group_key2,"
                + " sum(events), sum(hits), sum(long_sum), sum(long_count), sum(real_sum), sum(real_count), sum(real_sum2)"
                + " FROM " + dialect.relation(GROUPS) + " WHERE epoch_day >= ? AND epoch_day < ?"
                + " GROUP BY question, group_key, group_key2")) {
            statement.setLong(1, firstDay);
            statement.setLong(2, endDay);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String question = rows.getString(1);
                    String key = rows.getString(2);
                    long events = rows.getLong(4);
                    long hits = rows.getLong(5);
                    switch (question) {
                        case "routing" -> tally.routing(key, events, hits);
                        case "routing_matrix" -> tally.routingOutcome(key, rows.getString(3), events);
                        case "self_heal" -> tally.selfHeal(key, events, hits);
                        case "recovery" -> tally.recovery(key, events, hits, rows.getLong(6), rows.getLong(7));
                        case "sessions" -> tally.sessions(key, events, rows.getDouble(8), rows.getLong(9),
                                rows.getDouble(10));
                        case "tools" -> tally.tools(key, events, hits);
                        case "git" -> tally.commits(key, events);
                        default -> throw new IllegalStateException(GROUPS + " has an unknown question " + question);
                    }
                }
            }
        }
    }

    /**
     * The durations of one range: per tool, the counts per bucket of the summarised days and of the
     * edges, and the edges' counts per distinct duration; each percentile's bucket is found from
     * the bucket counts, then its distinct durations are read from {@value #DURATIONS}.
     */
    private final class Durations {
        private final Map<String, NavigableMap<Long, Long>> buckets = new HashMap<>();
        private final Map<String, NavigableMap<Long, Long>> edges = new HashMap<>();

        void addEdge(String tool, long durationMs, long n) {
            buckets.computeIfAbsent(tool, t -> new TreeMap<>()).merge(bucket(durationMs), n, Long::sum);
            edges.computeIfAbsent(tool, t -> new TreeMap<>()).merge(durationMs, n, Long::sum);
        }

        void percentiles(Connection connection, long firstDay, long endDay, AnalyticsTally tally) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("SELECT tool_name, bucket, sum(events) FROM "
                    + dialect.relation(BUCKETS) + " WHERE epoch_day >= ? AND epoch_day < ? GROUP BY tool_name, bucket")) {
                statement.setLong(1, firstDay);
                statement.setLong(2, endDay);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        buckets.computeIfAbsent(rows.getString(1), t -> new TreeMap<>())
                                .merge(rows.getLong(2), rows.getLong(3), Long::sum);
                    }
                }
            }
            // Per tool and percentile: the bucket that holds the rank, and the rank within it.
            Map<String, long[][]> targets = new HashMap<>();
            for (Map.Entry<String, NavigableMap<Long, Long>> entry : buckets.entrySet()) {
                long n = 0;
                for (long count : entry.getValue().values()) {
                    n += count;
                }
                long[][] target = new long[PERCENTILES.length][];
                for (int i = 0; i < PERCENTILES.length; i++) {
                    // The nearest rank, as StreamingAnalytics and the SQL question compute it.
                    long rank = Math.max(1, (PERCENTILES[i] * n + 99) / 100);
                    long below = 0;
                    for (Map.Entry<Long, Long> bucket : entry.getValue().entrySet()) {
                        if (below + bucket.getValue() >= rank) {
                            target[i] = new long[] {bucket.getKey(), rank - below};
                            break;
                        }
                        below += bucket.getValue();
                    }
                }
                targets.put(entry.getKey(), target);
            }
            Map<String, Map<Long, NavigableMap<Long, Long>>> fine = fine(connection, firstDay, endDay, targets);
            for (Map.Entry<String, long[][]> entry : targets.entrySet()) {
                String tool = entry.getKey();
                long[] values = new long[PERCENTILES.length];
                for (int i = 0; i < PERCENTILES.length; i++) {
                    long[] target = entry.getValue()[i];
                    values[i] = nth(fine.get(tool).get(target[0]), target[1], tool, target[0]);
                }
                tally.toolDurations(tool, values[0], values[1]);
            }
        }

        /**
         * The distinct durations and their counts of each tool's target buckets, summaries and edges
         * together: one query for them all (a few hundred rows per bucket and month).
         */
        private Map<String, Map<Long, NavigableMap<Long, Long>>> fine(Connection connection, long firstDay, long endDay,
                Map<String, long[][]> targets) throws SQLException {
            Map<String, Map<Long, NavigableMap<Long, Long>>> fine = new HashMap<>();
            List<Object[]> pairs = new ArrayList<>();
            for (Map.Entry<String, long[][]> entry : targets.entrySet()) {
                for (long[] target : entry.getValue()) {
                    Map<Long, NavigableMap<Long, Long>> perBucket = fine.computeIfAbsent(entry.getKey(), t -> new HashMap<>());
                    if (!perBucket.containsKey(target[0])) {
                        perBucket.put(target[0], new TreeMap<>());
                        pairs.add(new Object[] {entry.getKey(), target[0]});
                    }
                }
            }
            for (int from = 0; from < pairs.size(); from += MARK_ROWS) {
                List<Object[]> chunk = pairs.subList(from, Math.min(pairs.size(), from + MARK_ROWS));
                StringBuilder sql = new StringBuilder("SELECT tool_name, bucket, duration_ms, sum(events) FROM ")
                        .append(dialect.relation(DURATIONS)).append(" WHERE epoch_day >= ? AND epoch_day < ? AND (");
                for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "" : " OR ").append("(tool_name = ? AND bucket = ?)");
                }
                sql.append(") GROUP BY tool_name, bucket, duration_ms");
                try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                    statement.setLong(1, firstDay);
                    statement.setLong(2, endDay);
                    int index = 3;
                    for (Object[] pair : chunk) {
                        statement.setString(index++, (String) pair[0]);
                        statement.setLong(index++, (Long) pair[1]);
                    }
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            fine.get(rows.getString(1)).get(rows.getLong(2)).merge(rows.getLong(3), rows.getLong(4), Long::sum);
                        }
                    }
                }
            }
            for (Map.Entry<String, Map<Long, NavigableMap<Long, Long>>> tool : fine.entrySet()) {
                for (Map.Entry<Long, Long> value : edges.getOrDefault(tool.getKey(), new TreeMap<>()).entrySet()) {
                    NavigableMap<Long, Long> inBucket = tool.getValue().get(bucket(value.getKey()));
                    if (inBucket != null) {
                        inBucket.merge(value.getKey(), value.getValue(), Long::sum);
                    }
                }
            }
            return fine;
        }

        /** The {@code rank}-th smallest of the durations counted in {@code counts} (1-based). */
        private long nth(NavigableMap<Long, Long> counts, long rank, String tool, long bucket) {
            long below = 0;
            for (Map.Entry<Long, Long> value : counts.entrySet()) {
                below += value.getValue();
                if (below >= rank) {
                    return value.getKey();
                }
            }
            throw new IllegalStateException(DURATIONS + " holds fewer durations of " + tool + " in bucket " + bucket
                    + " than " + BUCKETS + " counts");
        }
    }
}
