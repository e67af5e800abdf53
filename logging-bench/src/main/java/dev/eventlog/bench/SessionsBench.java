package dev.eventlog.bench;

import dev.eventlog.Event;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.jdbc.SqlSessionAnalytics;
import dev.eventlog.spi.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Times each session question ({@link SessionAnalytics}, as the SQL stores answer it from their
 * {@code session_summary} table) and the refresh that keeps that table up to date (every session
 * at first, then after 1 000 new events) on a store holding N events across N / 10 sessions, beside a plain
 * {@code SELECT count(*)} of the same tables in the same run. Each session has 6 tool calls (8
 * tools, about 2 % null success), one outcome, one coordinator event (20 agents), one activity and
 * one git event; sessions start evenly over 90 days. The store is filled by SQL, so filling is quick.
 *
 * <p>N is {@code bench.sessionEvents} (1 000 000); {@code bench.stores} ({@code sqlite,postgres})
 * says which stores to measure. The PostgreSQL server is
 * {@code EVENTLOG_BENCH_PG_URL}; when it cannot be reached its table says so.
 */
final class SessionsBench {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SPAN_MS = 90L * 24 * 3600 * 1000;
    private static final List<String> TABLES = List.of("tool_events", "session_outcome_events", "coordinator_events",
            "activity_events", "git_events");

    private SessionsBench() {
    }

    static void run() throws Exception {
        long events = Long.getLong("bench.sessionEvents", 1_000_000);
        long sessions = events / 10;
        String pgUrl = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        List<String> stores = List.of(System.getProperty("bench.stores", "sqlite,postgres").split(","));
        Path work = Files.createTempDirectory("eventlog-sessions-bench");
        try (Target sqlite = Target.sqlite(work, "sessions")) {
            if (stores.contains("sqlite")) {
                measure(sqlite, sessions);
            }
        } finally {
            try (Stream<Path> files = Files.list(work)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(work);
        }
        if (!stores.contains("postgres")) {
            return;
        }
        Target postgres;
        try {
            postgres = Target.postgres(pgUrl, "sessions");
        } catch (SQLException | RuntimeException e) {
            System.out.println("PostgreSQL: not run: " + e.getMessage());
            return;
        }
        try (Target target = postgres) {
            measure(target, sessions);
        }
    }

    private static void measure(Target target, long sessions) throws Exception {
        long t0 = System.nanoTime();
        try (Connection connection = target.connect()) {
            fill(connection, target.postgres, sessions);
        }
        String name = target.postgres ? "PostgreSQL" : "SQLite";
        System.out.printf(Locale.ROOT, "%n%s: filled %,d events across %,d sessions in %,d ms%n", name,
                sessions * 10, sessions, (System.nanoTime() - t0) / 1_000_000);
        Instant lastWeek = START.plusMillis(SPAN_MS).minus(7, ChronoUnit.DAYS);
        String one = "s-" + (sessions / 2);
        System.out.println("median of 3 runs after a warm-up, ms; count(*) is of the tables the question reads");
        System.out.printf(Locale.ROOT, "| %-48s | %8s | %8s |%n", "question (" + name + ")", "ms", "count(*)");
        System.out.println("|---|---:|---:|");
        try (EventStore store = target.openStore(); Connection connection = target.connect()) {
            SessionAnalytics analytics = SessionAnalytics.of(store);
            SqlSessionAnalytics sql = (SqlSessionAnalytics) analytics;
            // The fill went in by SQL behind the store's back: the first refresh summarises every session.
            long t1 = System.nanoTime();
            int first = sql.refresh();
            row("refresh: first, every session (" + first + ")", (System.nanoTime() - t1) / 1_000_000, -1);
            // What autovacuum does after a load (PostgreSQL): statistics of the new summary, a visibility
            // map for index-only scans, and the row per session the fill listed in session_dirty, which
            // the first refresh deleted, gone.
            try (Statement statement = connection.createStatement()) {
                statement.execute(target.postgres ? "VACUUM ANALYZE session_summary, session_dirty" : "ANALYZE");
            }
            row("refresh: nothing new", median(sql::refresh), -1);
            long[] batch = {0};
            row("refresh: after 1 000 new events in 100 sessions", median(() -> {
                store.append(newEvents(batch[0]++, sessions));
                long t = System.nanoTime();
                sql.refresh();
                return (System.nanoTime() - t) / 1_000_000;
            }, true), -1);
            long countAll = median(() -> countOf(connection, TABLES));
            long countTools = median(() -> countOf(connection, List.of("tool_events")));
            long countCoordinator = median(() -> countOf(connection, List.of("coordinator_events")));
            row("session(id): one summary", median(() -> analytics.session(one).orElseThrow()), countAll);
            row("failingTools(id)", median(() -> analytics.failingTools(one)), countTools);
            row("sessions(all time, top 20)", median(() -> analytics.sessions(null, null, 20)), countAll);
            row("sessions(last 7 days, top 20)", median(() -> analytics.sessions(lastWeek, null, 20)), countAll);
            row("workflows(all time)", median(() -> analytics.workflows(null, null)), countAll);
            row("agents(all time)", median(() -> analytics.agents(null, null)), countCoordinator);
            row("quality(all time)", median(() -> analytics.quality(null, null)), countAll);
            row("report(all time, top 20): all of them", median(() -> analytics.report(null, null, 20)), countAll);
        }
    }

    private static void row(String question, long ms, long countMs) {
        System.out.printf(Locale.ROOT, "| %-48s | %8d | %8s |%n", question, ms, countMs < 0 ? "" : String.valueOf(countMs));
    }

    /** 1 000 tool calls, 10 in each of 100 existing sessions spread over the range, at their sessions' ends. */
    private static List<Event> newEvents(long round, long sessions) {
        List<Event> events = new ArrayList<>();
        long step = SPAN_MS / sessions;
        for (int k = 0; k < 100; k++) {
            long session = (round * 7919 + k * (sessions / 100)) % sessions;
            for (int j = 0; j < 10; j++) {
                events.add(ToolUseEvent.builder().sessionId("s-" + session)
                        .ts(START.plusMillis(session * step + 10_000 + round * 20 + j)).toolName("tool-" + j % 8)
                        .toolType("builtin").success(j % 5 != 0).durationMs((long) j).build());
            }
        }
        return events;
    }

    private static long countOf(Connection connection, List<String> tables) throws SQLException {
        long total = 0;
        try (Statement statement = connection.createStatement()) {
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
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
        return median(work, false);
    }

    /** The median of three runs after one warm-up, in ms: timed here, or as {@code work} returns when {@code timesItself}. */
    private static long median(Work work, boolean timesItself) throws Exception {
        work.run();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            Object result = work.run();
            times.add(timesItself ? (Long) result : (System.nanoTime() - t0) / 1_000_000);
        }
        Collections.sort(times);
        return times.get(1);
    }

    /** Inserts the generated sessions with SQL: a series of session numbers per table. */
    private static void fill(Connection connection, boolean postgres, long sessions) throws SQLException {
        long step = SPAN_MS / sessions;
        String series;
        String from;
        String rnd;
        String start;
        String id;
        if (postgres) {
            series = "";
            from = " FROM generate_series(0::bigint, %d) AS s(i)";
            rnd = "floor(random() * %d)::int";
            start = "(timestamptz '" + START + "' + (%s) * interval '1 millisecond')";
            id = "gen_random_uuid()";
        } else {
            series = "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d) ";
            from = " FROM s";
            rnd = "abs(random()) %% %d";
            start = "(" + START.toEpochMilli() + " + %s)";
            id = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-7' || substr(hex(randomblob(2)), 2)"
                    + " || '-8' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";
        }
        String flag = postgres ? "CASE WHEN random() < 0.02 THEN NULL ELSE random() < 0.8 END"
                : "CASE abs(random()) % 50 WHEN 0 THEN NULL ELSE abs(random()) % 10 < 8 END";
        long tools = sessions * 6;
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // Tool call i belongs to session i % S and is its (i / S)-th call, one second apart.
            statement.execute(String.format(series, tools - 1) + "INSERT INTO tool_events (id, ts, session_id, tool_name,"
                    + " tool_type, success, duration_ms) SELECT " + id + ", "
                    + String.format(start, "(i % " + sessions + ") * " + step + " + (i / " + sessions + ") * 1000")
                    + ", 's-' || (i % " + sessions + "), 'tool-' || " + String.format(rnd, 8) + ", 'builtin', " + flag
                    + ", " + String.format(rnd, 60000) + String.format(from, tools - 1));
            statement.execute(String.format(series, sessions - 1) + "INSERT INTO session_outcome_events (id, ts,"
                    + " session_id, outcome, quality, model, messages_count, cost_usd, success) SELECT " + id + ", "
                    + String.format(start, "i * " + step + " + 7000") + ", 's-' || i, CASE " + String.format(rnd, 4)
                    + " WHEN 0 THEN 'error' WHEN 1 THEN 'partial' ELSE 'success' END, "
                    + String.format(rnd, 1000) + " / 1000.0, 'model-' || " + String.format(rnd, 3) + ", "
                    + String.format(rnd, 80) + ", " + String.format(rnd, 50000) + " / 10000.0, " + flag
                    + String.format(from, sessions - 1));
            statement.execute(String.format(series, sessions - 1) + "INSERT INTO coordinator_events (id, ts, session_id,"
                    + " agent_id, action, duration_ms) SELECT " + id + ", " + String.format(start, "i * " + step + " + 200")
                    + ", 's-' || i, 'agent-' || " + String.format(rnd, 20) + ", CASE " + String.format(rnd, 3)
                    + " WHEN 0 THEN 'spawn' WHEN 1 THEN 'complete' ELSE 'fail' END, " + String.format(rnd, 30000)
                    + String.format(from, sessions - 1));
            statement.execute(String.format(series, sessions - 1) + "INSERT INTO activity_events (id, ts, session_id,"
                    + " activity_type) SELECT " + id + ", " + String.format(start, "i * " + step + " + 100")
                    + ", 's-' || i, 'edit'" + String.format(from, sessions - 1));
            statement.execute(String.format(series, sessions - 1) + "INSERT INTO git_events (id, ts, session_id,"
                    + " event_type, repo) SELECT " + id + ", " + String.format(start, "i * " + step + " + 8000")
                    + ", 's-' || i, 'commit', 'repo-' || " + String.format(rnd, 40) + String.format(from, sessions - 1));
        }
        if (postgres) {
            // Rows written behind the library's back are not listed for the summary (SQLite finds them by
            // rowid): a loader lists their sessions itself, as here.
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO session_dirty (session_id) SELECT DISTINCT session_id FROM tool_events");
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute(postgres ? "VACUUM ANALYZE" : "ANALYZE");
        }
    }
}
