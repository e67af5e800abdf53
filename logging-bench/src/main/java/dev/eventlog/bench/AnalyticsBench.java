package dev.eventlog.bench;

import dev.eventlog.EventKind;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.analytics.AnalyticsTally;
import dev.eventlog.jdbc.SqlAnalytics;
import dev.eventlog.spi.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Times each analytics question (the SQL of {@link SqlAnalytics.Question}, as the SQL stores ask
 * it) on a store holding N events in each analysed table, beside a plain {@code SELECT count(*)}
 * of the same tables, over all events and over the last 7 days; then the whole
 * {@link EventAnalytics#compute()}. Each store is a fresh {@link Target} filled by SQL (so filling
 * is quick): 90 days of events, about 2 % null flags, 15 tools, 25 error patterns, 12 strategies,
 * 40 repositories.
 *
 * <p>N is {@code bench.analyticsEvents} (1 000 000). The PostgreSQL server is
 * {@code EVENTLOG_BENCH_PG_URL}, as for the side-by-side table; when it cannot be reached its table
 * says so.
 */
final class AnalyticsBench {
    private static final List<EventKind> ANALYSED = List.of(EventKind.GIT, EventKind.SELF_HEAL, EventKind.RECOVERY,
            EventKind.ROUTING_METRIC, EventKind.SESSION_OUTCOME, EventKind.TOOL_USE);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SPAN_MS = 90L * 24 * 3600 * 1000;

    private AnalyticsBench() {
    }

    static void run() throws Exception {
        long perTable = Long.getLong("bench.analyticsEvents", 1_000_000);
        String pgUrl = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        Path work = Files.createTempDirectory("eventlog-analytics-bench");
        try (Target sqlite = Target.sqlite(work, "analytics")) {
            measure(sqlite, perTable);
        } finally {
            try (Stream<Path> files = Files.list(work)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(work);
        }
        Target postgres;
        try {
            postgres = Target.postgres(pgUrl, "analytics");
        } catch (SQLException | RuntimeException e) {
            System.out.println("PostgreSQL: not run: " + e.getMessage());
            return;
        }
        try (Target target = postgres) {
            measure(target, perTable);
        }
    }

    private static void measure(Target target, long perTable) throws Exception {
        long t0 = System.nanoTime();
        try (Connection connection = target.connect()) {
            if (target.postgres) {
                fillPostgres(connection, perTable);
            } else {
                fillSqlite(connection, perTable);
            }
        }
        System.out.printf(Locale.ROOT, "%n%s: filled %,d events in each of %d tables in %,d ms%n",
                target.postgres ? "PostgreSQL" : "SQLite", perTable, ANALYSED.size(),
                (System.nanoTime() - t0) / 1_000_000);
        SqlAnalytics.BoundBinder binder = target.postgres
                ? (statement, index, bound) -> statement.setObject(index, OffsetDateTime.ofInstant(bound, ZoneOffset.UTC))
                : (statement, index, bound) -> statement.setLong(index, bound.toEpochMilli());
        Instant lastWeek = START.plusMillis(SPAN_MS).minus(7, ChronoUnit.DAYS);
        System.out.println("median of 3 runs after a warm-up, ms");
        System.out.printf(Locale.ROOT, "| %-26s | %10s | %11s | %16s |%n", "question", "all events", "last 7 days",
                "count(*) of same");
        System.out.println("|---|---:|---:|---:|");
        try (Connection connection = target.connect()) {
            for (SqlAnalytics.Question question : SqlAnalytics.Question.values()) {
                long all = median(() -> question.ask(connection, binder, v -> v, null, null, new AnalyticsTally()));
                long week = median(() -> question.ask(connection, binder, v -> v, lastWeek, null, new AnalyticsTally()));
                long count = median(() -> countOf(connection, question));
                System.out.printf(Locale.ROOT, "| %-26s | %10d | %11d | %16d |%n",
                        question.name().toLowerCase(Locale.ROOT), all, week, count);
            }
        }
        try (EventStore store = target.openStore()) {
            long whole = median(() -> EventAnalytics.of(store).compute());
            long wholeWeek = median(() -> EventAnalytics.of(store).compute(lastWeek, null));
            System.out.printf(Locale.ROOT, "| %-26s | %10d | %11d | %16s |%n", "EventAnalytics.compute()", whole,
                    wholeWeek, "");
        }
    }

    /** {@code SELECT count(*)} of the tables the question reads. */
    private static long countOf(Connection connection, SqlAnalytics.Question question) throws SQLException {
        List<EventKind> kinds = switch (question) {
            case COUNTS_PER_KIND_AND_DAY -> ANALYSED;
            case ROUTING, ROUTING_MATRIX -> List.of(EventKind.ROUTING_METRIC);
            case SELF_HEAL -> List.of(EventKind.SELF_HEAL);
            case RECOVERY -> List.of(EventKind.RECOVERY);
            case SESSIONS -> List.of(EventKind.SESSION_OUTCOME);
            case TOOL_SUCCESS, TOOL_DURATION_PERCENTILES -> List.of(EventKind.TOOL_USE);
            case GIT_COMMITS -> List.of(EventKind.GIT);
        };
        long total = 0;
        for (EventKind kind : kinds) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM " + kind.table());
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                total += rows.getLong(1);
            }
        }
        return total;
    }

    /** A timed piece of work. */
    @FunctionalInterface
    interface Work {
        Object run() throws Exception;
    }

    /** The median of three timed runs after one warm-up, in ms. */
    static long median(Work work) throws Exception {
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

    private static void fillSqlite(Connection connection, long n) throws SQLException {
        String series = "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < " + (n - 1) + ") ";
        String ts = START.toEpochMilli() + " + abs(random()) % " + SPAN_MS;
        String flag = "CASE abs(random()) % 50 WHEN 0 THEN NULL ELSE abs(random()) % 10 < 8 END";
        String pick = "abs(random()) %% %d";
        fill(connection, series, "printf('00000000-0000-7000-800%d-%%012d', i)", ts, flag, pick, "");
        connection.commit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        }
    }

    private static void fillPostgres(Connection connection, long n) throws SQLException {
        String series = "";
        String ts = "timestamptz '" + START + "' + floor(random() * " + SPAN_MS + ") * interval '1 millisecond'";
        String flag = "CASE WHEN random() < 0.02 THEN NULL ELSE random() < 0.8 END";
        String pick = "floor(random() * %d)::int";
        fill(connection, series, "gen_random_uuid()", ts, flag, pick, " FROM generate_series(1, " + n + ") AS s(i)");
        connection.commit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE");
        }
    }

    /** Inserts the generated rows with the dialect's pieces: series prefix, id, time, flag, random pick, FROM. */
    private static void fill(Connection connection, String series, String idFormat, String ts, String flag,
            String pick, String from) throws SQLException {
        boolean sqlite = from.isEmpty();
        String source = sqlite ? " FROM s" : from;
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(series + "INSERT INTO git_events (id, ts, event_type, repo, branch, files_changed)"
                    + " SELECT " + id(idFormat, 1) + ", " + ts + ", CASE " + String.format(pick, 4)
                    + " WHEN 0 THEN 'push' ELSE 'commit' END, 'repo-' || " + String.format(pick, 40) + ", 'main', "
                    + String.format(pick, 30) + source);
            statement.execute(series + "INSERT INTO self_heal_events (id, ts, error_pattern, success, execution_time_ms)"
                    + " SELECT " + id(idFormat, 2) + ", " + ts + ", 'pattern-' || " + String.format(pick, 25) + ", "
                    + flag + ", " + String.format(pick, 5000) + source);
            statement.execute(series + "INSERT INTO recovery_events (id, ts, recovery_strategy, success, attempts,"
                    + " time_to_recover_ms) SELECT " + id(idFormat, 3) + ", " + ts + ", 'strategy-' || "
                    + String.format(pick, 12) + ", " + flag + ", 1 + " + String.format(pick, 5) + ", "
                    + String.format(pick, 60000) + source);
            statement.execute(series + "INSERT INTO routing_metrics_events (id, ts, predicted_model, actual_model,"
                    + " dq_score, accuracy) SELECT " + id(idFormat, 4) + ", " + ts + ", CASE " + String.format(pick, 3)
                    + " WHEN 0 THEN 'haiku' WHEN 1 THEN 'sonnet' ELSE 'opus' END, 'opus', "
                    + String.format(pick, 1000) + " / 1000.0, " + flag + source);
            statement.execute(series + "INSERT INTO session_outcome_events (id, ts, outcome, quality, cost_usd, success)"
                    + " SELECT " + id(idFormat, 5) + ", " + ts + ", CASE " + String.format(pick, 4)
                    + " WHEN 0 THEN 'error' WHEN 1 THEN 'abandoned' ELSE 'success' END, "
                    + String.format(pick, 1000) + " / 1000.0, " + String.format(pick, 50000) + " / 10000.0, " + flag
                    + source);
            statement.execute(series + "INSERT INTO tool_events (id, ts, tool_name, tool_type, success, duration_ms)"
                    + " SELECT " + id(idFormat, 6) + ", " + ts + ", 'tool-' || " + String.format(pick, 15)
                    + ", 'builtin', " + flag + ", " + String.format(pick, 60000) + source);
        }
    }

    private static String id(String format, int table) {
        return format.contains("%d") ? String.format(format, table) : format;
    }
}
