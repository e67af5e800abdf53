package dev.eventlog.sqlite;

import dev.eventlog.EventKind;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.internal.AnalyticsTally;
import dev.eventlog.internal.SqlAnalytics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Times each analytics question on a SQLite file holding N events in each analysed table, beside
 * a plain {@code SELECT count(*)} of the same tables. Not a test: run it by hand.
 *
 * <pre>
 * mvn -q -o -pl logging-sqlite -am test-compile
 * java -cp "$(cat cp.txt):logging-api/target/classes:logging-sqlite/target/classes:logging-sqlite/target/test-classes" \
 *     dev.eventlog.sqlite.AnalyticsBench /tmp/bench.db 1000000
 * </pre>
 */
public final class AnalyticsBench {
    private static final List<EventKind> ANALYSED = List.of(EventKind.GIT, EventKind.SELF_HEAL, EventKind.RECOVERY,
            EventKind.ROUTING_METRIC, EventKind.SESSION_OUTCOME, EventKind.TOOL_USE);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SPAN_MS = 90L * 24 * 3600 * 1000;

    private AnalyticsBench() {
    }

    /** Arguments: the database file (filled when empty) and the events per table (default 1 000 000). */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "target/analytics-bench.db");
        long perTable = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        if (!Files.exists(file)) {
            SqliteEventStore.open(file).close();
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                long t0 = System.nanoTime();
                fill(connection, perTable);
                System.out.printf(Locale.ROOT, "filled %,d events per table in %,d ms%n", perTable,
                        (System.nanoTime() - t0) / 1_000_000);
            }
        }
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                Instant weekFrom = START.plusMillis(SPAN_MS).minus(7, ChronoUnit.DAYS);
                System.out.printf(Locale.ROOT, "%-28s %12s %12s %12s%n", "question", "all (ms)", "7 days (ms)",
                        "count(*) ms");
                for (SqlAnalytics.Question question : SqlAnalytics.Question.values()) {
                    long all = median(() -> question.ask(connection, AnalyticsBench::bind, v -> v, null, null, new AnalyticsTally()));
                    long week = median(() -> question.ask(connection, AnalyticsBench::bind, v -> v, weekFrom, null,
                            new AnalyticsTally()));
                    long count = median(() -> countOf(connection, question));
                    System.out.printf(Locale.ROOT, "%-28s %12d %12d %12d%n", question, all, week, count);
                }
                long whole = median(() -> EventAnalytics.of(store).compute());
                System.out.printf(Locale.ROOT, "%-28s %12d%n", "EventAnalytics.compute()", whole);
            }
        }
    }

    private static void bind(java.sql.PreparedStatement statement, int index, Instant bound) throws SQLException {
        statement.setLong(index, bound.toEpochMilli());
    }

    /** {@code SELECT count(*)} of the tables the question reads. */
    private static long countOf(Connection connection, SqlAnalytics.Question question) throws SQLException {
        List<EventKind> kinds = switch (question) {
            case COUNTS_PER_KIND_AND_DAY -> ANALYSED;
            case ROUTING -> List.of(EventKind.ROUTING_METRIC);
            case SELF_HEAL -> List.of(EventKind.SELF_HEAL);
            case RECOVERY -> List.of(EventKind.RECOVERY);
            case SESSIONS -> List.of(EventKind.SESSION_OUTCOME);
            case TOOL_SUCCESS, TOOL_DURATION_PERCENTILES -> List.of(EventKind.TOOL_USE);
            case GIT_COMMITS -> List.of(EventKind.GIT);
        };
        long total = 0;
        try (Statement statement = connection.createStatement()) {
            for (EventKind kind : kinds) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + kind.table())) {
                    rows.next();
                    total += rows.getLong(1);
                }
            }
        }
        return total;
    }

    @FunctionalInterface
    private interface Work {
        Object run() throws Exception;
    }

    /** The median of three timed runs after one warm-up, in ms. */
    private static long median(Work work) throws Exception {
        work.run();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            work.run();
            times.add((System.nanoTime() - t0) / 1_000_000);
        }
        Collections.sort(times);
        return times.get(1);
    }

    private static void fill(Connection connection, long n) throws SQLException {
        String series = "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < " + (n - 1) + ") ";
        String ts = START.toEpochMilli() + " + abs(random()) % " + SPAN_MS;
        String flag = "CASE abs(random()) % 50 WHEN 0 THEN NULL ELSE abs(random()) % 10 < 8 END";
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(series + "INSERT INTO git_events (id, ts, event_type, repo, branch, files_changed)"
                    + " SELECT printf('00000000-0000-7000-8001-%012d', i), " + ts + ","
                    + " CASE abs(random()) % 4 WHEN 0 THEN 'push' ELSE 'commit' END, 'repo-' || (abs(random()) % 40),"
                    + " 'main', abs(random()) % 30 FROM s");
            statement.execute(series + "INSERT INTO self_heal_events (id, ts, error_pattern, success, execution_time_ms)"
                    + " SELECT printf('00000000-0000-7000-8002-%012d', i), " + ts + ", 'pattern-' || (abs(random()) % 25),"
                    + flag + ", abs(random()) % 5000 FROM s");
            statement.execute(series + "INSERT INTO recovery_events (id, ts, recovery_strategy, success, attempts,"
                    + " time_to_recover_ms) SELECT printf('00000000-0000-7000-8003-%012d', i), " + ts + ","
                    + " 'strategy-' || (abs(random()) % 12), " + flag + ", 1 + abs(random()) % 5,"
                    + " abs(random()) % 60000 FROM s");
            statement.execute(series + "INSERT INTO routing_metrics_events (id, ts, predicted_model, actual_model,"
                    + " dq_score, accuracy) SELECT printf('00000000-0000-7000-8004-%012d', i), " + ts + ","
                    + " CASE abs(random()) % 3 WHEN 0 THEN 'haiku' WHEN 1 THEN 'sonnet' ELSE 'opus' END, 'opus',"
                    + " (abs(random()) % 1000) / 1000.0, " + flag + " FROM s");
            statement.execute(series + "INSERT INTO session_outcome_events (id, ts, outcome, quality, cost_usd, success)"
                    + " SELECT printf('00000000-0000-7000-8005-%012d', i), " + ts + ","
                    + " CASE abs(random()) % 4 WHEN 0 THEN 'error' WHEN 1 THEN 'abandoned' ELSE 'success' END,"
                    + " (abs(random()) % 1000) / 1000.0, (abs(random()) % 50000) / 10000.0, " + flag + " FROM s");
            statement.execute(series + "INSERT INTO tool_events (id, ts, tool_name, tool_type, success, duration_ms)"
                    + " SELECT printf('00000000-0000-7000-8006-%012d', i), " + ts + ", 'tool-' || (abs(random()) % 15),"
                    + " 'builtin', " + flag + ", abs(random()) % 60000 FROM s");
        }
        connection.commit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        }
    }
}
