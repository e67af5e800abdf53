package dev.eventlog.bench;

import dev.eventlog.EventKind;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.jdbc.SqlAnalytics;
import dev.eventlog.postgres.PartitionInterval;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.postgres.PostgresOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One month of analytics on a year of events in a month-partitioned PostgreSQL store: N events
 * (10 000 000) spread over the six analysed kinds and the 12 months of 2025, filled by SQL into
 * monthly partitions made beforehand, every day listed as changed (as appends would have listed
 * them). Then, in one run: the raw scan of the month (the {@link SqlAnalytics} questions over the
 * events, what {@code compute} did before the day summaries), the first question (which fills the
 * summaries of the whole year first), the same question repeated, a 30-day range with partial days
 * at both ends, and a question after one append into the month (one day recomputed). The figures
 * of the summaries and of the raw scan are compared. {@code mvn -q -pl logging-bench -am package
 * -DskipTests exec:exec -Dbench=analytics-month -Dbench.jvmArgs="-Xmx2g -Dbench.events=10000000"}; the
 * server is {@code EVENTLOG_BENCH_PG_URL}, in a schema of its own that is dropped afterwards (kept, to
 * look at its plans, with {@code -Dbench.keepSchema=true}).
 */
final class AnalyticsMonthBench {
    private static final LocalDate FIRST = LocalDate.parse("2025-01-01");
    private static final Instant MONTH = Instant.parse("2025-06-01T00:00:00Z");
    private static final Instant NEXT_MONTH = Instant.parse("2025-07-01T00:00:00Z");

    private AnalyticsMonthBench() {
    }

    static void run() throws Exception {
        String url = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        long total = Long.getLong("bench.events", 10_000_000L);
        String schema = "eventlog_bench_month_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String storeUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        PostgresOptions monthly = PostgresOptions.builder().partitions(PartitionInterval.MONTH).build();
        System.out.printf(Locale.ROOT, "analytics-month bench: %,d events over 2025 (12 monthly partitions), load average %s%n",
                total, SideBySide.loadAverage());
        try {
            PostgresEventStore.open(storeUrl, monthly).close();
            long t0 = System.nanoTime();
            try (Connection connection = DriverManager.getConnection(storeUrl)) {
                fill(connection, schema, total);
            }
            System.out.printf(Locale.ROOT, "filled in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Instant edgeFrom = Instant.parse("2025-06-03T10:17:00Z");
            Instant edgeUntil = Instant.parse("2025-07-03T10:17:00Z");
            Analytics raw;
            long rawMs;
            try (Connection connection = DriverManager.getConnection(storeUrl)) {
                SqlAnalytics.BoundBinder binder = (statement, index, bound) ->
                        statement.setObject(index, OffsetDateTime.ofInstant(bound, ZoneOffset.UTC));
                Analytics[] last = new Analytics[1];
                rawMs = AnalyticsBench.median(() -> last[0] = SqlAnalytics.compute(connection, binder, v -> v, MONTH, NEXT_MONTH));
                raw = last[0];
            }
            System.out.printf(Locale.ROOT, "raw scan of June (the questions over the events, median of 3): %,d ms,"
                    + " %,d events in the month%n", rawMs, raw.total());
            try (PostgresEventStore store = PostgresEventStore.open(storeUrl, monthly)) {
                EventAnalytics analytics = EventAnalytics.of(store);
                long start = System.nanoTime();
                Analytics first = analytics.compute(MONTH, NEXT_MONTH);
                long firstMs = (System.nanoTime() - start) / 1_000_000;
                System.out.printf(Locale.ROOT, "first question (fills the day summaries of the year): %,d ms%n", firstMs);
                long repeatedMs = AnalyticsBench.median(() -> analytics.compute(MONTH, NEXT_MONTH));
                System.out.printf(Locale.ROOT, "June from the day summaries (median of 3): %,d ms  (%.0fx faster than the raw scan)%n",
                        repeatedMs, (double) rawMs / Math.max(repeatedMs, 1));
                long refreshMs = AnalyticsBench.median(store::refreshSummaries);
                System.out.printf(Locale.ROOT, "  of which the refresh that finds nothing changed (median of 3): %,d ms%n",
                        refreshMs);
                long edgesMs = AnalyticsBench.median(() -> analytics.compute(edgeFrom, edgeUntil));
                System.out.printf(Locale.ROOT, "%s .. %s (partial days at both ends, median of 3): %,d ms%n", edgeFrom,
                        edgeUntil, edgesMs);
                store.append(List.of(ToolUseEvent.builder().ts(MONTH.plusSeconds(86_400 * 10 + 5)).toolName("tool-1")
                        .success(true).durationMs(1234L).build()));
                start = System.nanoTime();
                Analytics afterAppend = analytics.compute(MONTH, NEXT_MONTH);
                long afterAppendMs = (System.nanoTime() - start) / 1_000_000;
                System.out.printf(Locale.ROOT, "June after one append into it (one day recomputed first): %,d ms%n",
                        afterAppendMs);
                System.out.printf(Locale.ROOT, "same figures as the raw scan: %s; after the append %,d events (raw %,d + 1)%n",
                        sameFigures(first, raw), afterAppend.total(), raw.total());
                try (Connection connection = DriverManager.getConnection(storeUrl);
                        Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM analytics_day_durations),"
                                + " (SELECT count(*) FROM analytics_day_buckets), (SELECT count(*) FROM analytics_day_groups),"
                                + " pg_total_relation_size('analytics_day_durations') + pg_total_relation_size('analytics_day_buckets')"
                                + " + pg_total_relation_size('analytics_day_groups') + pg_total_relation_size('analytics_day_kinds'),"
                                + " (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                                + " JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace"
                                + " WHERE n.nspname = current_schema() AND p.relname LIKE '%\\_events')")) {
                    rows.next();
                    System.out.printf(Locale.ROOT, "summaries: %,d duration rows, %,d bucket rows, %,d group rows;"
                            + " %,d MB beside %,d MB of event partitions%n", rows.getLong(1), rows.getLong(2),
                            rows.getLong(3), rows.getLong(4) >> 20, rows.getLong(5) >> 20);
                }
            }
            System.out.printf("load average at the end: %s%n", SideBySide.loadAverage());
        } finally {
            if (Boolean.getBoolean("bench.keepSchema")) {
                System.out.println("schema kept (bench.keepSchema): " + schema);
            } else {
                try (Connection connection = DriverManager.getConnection(url);
                        Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    /** Whether two answers agree: counts, rates, percentiles exactly; the real sums to 1e-6. */
    private static boolean sameFigures(Analytics a, Analytics b) {
        return a.counts().equals(b.counts()) && a.countsByDay().equals(b.countsByDay()) && a.routing().equals(b.routing())
                && a.selfHeal().equals(b.selfHeal()) && a.recovery().equals(b.recovery()) && a.tools().equals(b.tools())
                && a.git().equals(b.git()) && a.sessions().outcomeCounts().equals(b.sessions().outcomeCounts())
                && Math.abs(a.sessions().totalCostUsd() - b.sessions().totalCostUsd()) < 1e-6
                && Math.abs(Objects.requireNonNullElse(a.sessions().meanQuality(), 0.0)
                        - Objects.requireNonNullElse(b.sessions().meanQuality(), 0.0)) < 1e-9;
    }

    /**
     * Makes the monthly partitions of 2025 of every kind table, fills {@code total} events into the six
     * analysed tables by SQL (as {@link AnalyticsBench} does), lists every day as changed and analyses.
     */
    private static void fill(Connection connection, String schema, long total) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (EventKind kind : EventKind.values()) {
                for (LocalDate month = FIRST; month.getYear() == 2025; month = month.plusMonths(1)) {
                    statement.execute("CREATE TABLE " + kind.table() + "_p" + month.toString().replace("-", "")
                            + " PARTITION OF " + kind.table() + " FOR VALUES FROM (TIMESTAMPTZ '" + month
                            + " 00:00:00+00') TO (TIMESTAMPTZ '" + month.plusMonths(1) + " 00:00:00+00')");
                }
            }
            long perTable = total / 6;
            String ts = "timestamptz '" + FIRST + "T00:00:00Z' + floor(random() * " + 365L * 86_400_000
                    + ") * interval '1 millisecond'";
            String flag = "CASE WHEN random() < 0.02 THEN NULL ELSE random() < 0.8 END";
            String from = " FROM generate_series(1, " + perTable + ")";
            statement.execute("INSERT INTO git_events (id, ts, event_type, repo, branch, files_changed) SELECT"
                    + " gen_random_uuid(), " + ts + ", CASE floor(random() * 4)::int WHEN 0 THEN 'push' ELSE 'commit' END,"
                    + " 'repo-' || floor(random() * 40)::int, 'main', floor(random() * 30)::int" + from);
            statement.execute("INSERT INTO self_heal_events (id, ts, error_pattern, success, execution_time_ms) SELECT"
                    + " gen_random_uuid(), " + ts + ", 'pattern-' || floor(random() * 25)::int, " + flag
                    + ", floor(random() * 5000)::int" + from);
            statement.execute("INSERT INTO recovery_events (id, ts, recovery_strategy, success, attempts, time_to_recover_ms)"
                    + " SELECT gen_random_uuid(), " + ts + ", 'strategy-' || floor(random() * 12)::int, " + flag
                    + ", 1 + floor(random() * 5)::int, floor(random() * 60000)::int" + from);
            statement.execute("INSERT INTO routing_metrics_events (id, ts, predicted_model, actual_model, dq_score, accuracy)"
                    + " SELECT gen_random_uuid(), " + ts + ", CASE floor(random() * 3)::int WHEN 0 THEN 'haiku' WHEN 1"
                    + " THEN 'sonnet' ELSE 'opus' END, 'opus', floor(random() * 1000)::int / 1000.0, " + flag + from);
            statement.execute("INSERT INTO session_outcome_events (id, ts, outcome, quality, cost_usd, success) SELECT"
                    + " gen_random_uuid(), " + ts + ", CASE floor(random() * 4)::int WHEN 0 THEN 'error' WHEN 1 THEN"
                    + " 'abandoned' ELSE 'success' END, floor(random() * 1000)::int / 1000.0,"
                    + " floor(random() * 50000)::int / 10000.0, " + flag + from);
            statement.execute("INSERT INTO tool_events (id, ts, tool_name, tool_type, success, duration_ms) SELECT"
                    + " gen_random_uuid(), " + ts + ", 'tool-' || floor(random() * 15)::int, 'builtin', " + flag
                    + ", floor(random() * 60000)::int" + from);
            // Rows written by SQL are not listed by an append: list every day of the year, as appends would have.
            long firstDay = FIRST.toEpochDay();
            statement.execute("INSERT INTO analytics_day_dirty (epoch_day) SELECT generate_series(" + firstDay + ", "
                    + (firstDay + 364) + ")");
            statement.execute("VACUUM ANALYZE");
        }
    }

}
