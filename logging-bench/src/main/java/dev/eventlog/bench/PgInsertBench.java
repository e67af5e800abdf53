package dev.eventlog.bench;

import dev.eventlog.Ids;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.postgres.PostgresEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.postgresql.Driver;

/**
 * Batch append throughput of the ways to insert into PostgreSQL idempotently, beside the
 * {@code PostgresEventStore}'s own path and {@code psql \copy} of the same rows into the same
 * table: {@code mvn -q -pl logging-bench -am package -DskipTests exec:exec -Dbench=pg-insert}. The
 * server is {@code EVENTLOG_BENCH_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres});
 * sizes are system properties ({@code bench.events} 1 000 000, {@code bench.batch} 1 000,
 * {@code bench.rounds} 3, {@code bench.strategies}: a subset of
 * {@code prepared,rewrite,values100,values500,unnest,copy,store,psql}). It works in a schema of its
 * own and drops it. Each figure is the median of the rounds, with the
 * slowest and fastest round beside it: on a shared machine the fastest round is the least disturbed.
 */
final class PgInsertBench {
    private static final String[] MODELS = {"haiku", "sonnet", "opus"};

    private PgInsertBench() {
    }

    /** Runs the comparison and prints one line per way. */
    static void run() throws Exception {
        String url = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        int total = Integer.getInteger("bench.events", 1_000_000);
        int batch = Integer.getInteger("bench.batch", 1_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        String schema = "eventlog_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String schemaUrl = withParameter(url, "currentSchema=" + schema);
        String table = schema + ".routing_metrics_events";

        List<List<RoutingMetricEvent>> batches = batches(routingEvents(total), batch);
        // Same shape, other ids: lets the JIT and the server's caches warm up before each timed run.
        List<List<RoutingMetricEvent>> warmUp = batches(routingEvents(Math.min(total, 50_000)), batch);
        Map<String, List<Run[]>> results = new LinkedHashMap<>();
        Set<String> chosen = Set.of(System.getProperty("bench.strategies",
                "prepared,rewrite,values100,values500,unnest,copy,store,psql").split(","));
        Map<String, PgInsertStrategies.Strategy> strategies = new LinkedHashMap<>();
        strategies.put("prepared", PgInsertStrategies.batchedPrepared(false));
        strategies.put("rewrite", PgInsertStrategies.batchedPrepared(true));
        strategies.put("values100", PgInsertStrategies.multiRowValues(100));
        strategies.put("values500", PgInsertStrategies.multiRowValues(500));
        strategies.put("unnest", PgInsertStrategies.unnestArrays());
        strategies.put("copy", PgInsertStrategies.copyThroughStaging());
        try (PostgresEventStore store = PostgresEventStore.open(schemaUrl)) {
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, PgInsertStrategies.Strategy> entry : strategies.entrySet()) {
                    if (!chosen.contains(entry.getKey())) {
                        continue;
                    }
                    PgInsertStrategies.Strategy strategy = entry.getValue();
                    String strategyUrl = strategy.urlParameters().isEmpty() ? schemaUrl
                            : withParameter(schemaUrl, strategy.urlParameters());
                    try (Connection connection = DriverManager.getConnection(strategyUrl)) {
                        connection.setAutoCommit(false);
                        BatchInsert insert = b -> strategy.insert(connection, table, b);
                        results.computeIfAbsent(strategy.name(), k -> new ArrayList<>()).add(
                                measure(schemaUrl, table, warmUp, batches, insert, connection, total));
                    }
                }
                if (chosen.contains("store")) {
                    results.computeIfAbsent("PostgresEventStore.append (the store's path)", k -> new ArrayList<>())
                            .add(measure(schemaUrl, table, warmUp, batches, store::append, null, total));
                }
                if (chosen.contains("psql")) {
                    results.computeIfAbsent("psql \\copy (plain COPY: no conflict handling, no count)",
                            k -> new ArrayList<>()).add(psqlCopy(url, schemaUrl, schema, table, batches, total));
                }
                System.out.printf(Locale.ROOT, "round %d of %d done%n", round, rounds);
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        System.out.printf(Locale.ROOT, "%n%,d routing events in batches of %,d, one transaction per batch, into"
                + " routing_metrics_events (uuid primary key, indexes on ts, accuracy, predicted_model, GIN on"
                + " attributes); median of %d rounds (min-max); PostgreSQL %s%n%n", total, batch, rounds,
                serverVersion(url));
        System.out.printf(Locale.ROOT, "| %-58s | %24s | %24s |%n", "strategy", "events/s into empty table",
                "events/s, all already in");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%n", "-".repeat(60), "-".repeat(26), "-".repeat(26));
        results.forEach((name, runs) -> System.out.printf(Locale.ROOT, "| %-58s | %24s | %24s |%s%n", name,
                summary(runs, 0, total), summary(runs, 1, total), verdict(runs, total)));
    }

    private interface BatchInsert {
        int insert(List<RoutingMetricEvent> batch) throws SQLException;
    }

    /** One timed pass: how long it took, how many rows it said were new, how many the table holds. */
    private record Run(double seconds, long added, long rows) {
    }

    private static Run[] measure(String schemaUrl, String table, List<List<RoutingMetricEvent>> warmUp,
            List<List<RoutingMetricEvent>> batches, BatchInsert insert, Connection commitOn, int total)
            throws SQLException {
        truncate(schemaUrl, table);
        run(warmUp, insert, commitOn);
        truncate(schemaUrl, table);
        Run first = run(batches, insert, commitOn);
        Run again = run(batches, insert, commitOn);
        long rows = count(schemaUrl, table);
        return new Run[] {new Run(first.seconds(), first.added(), rows), new Run(again.seconds(), again.added(), rows)};
    }

    private static Run run(List<List<RoutingMetricEvent>> batches, BatchInsert insert, Connection commitOn)
            throws SQLException {
        long start = System.nanoTime();
        long added = 0;
        for (List<RoutingMetricEvent> batch : batches) {
            int n = insert.insert(batch);
            added = n < 0 || added < 0 ? -1 : added + n;
            if (commitOn != null) {
                commitOn.commit();
            }
        }
        return new Run((System.nanoTime() - start) / 1e9, added, -1);
    }

    private static String summary(List<Run[]> runs, int pass, int total) {
        if (runs.get(0).length <= pass) {
            return "n/a";
        }
        double[] rates = runs.stream().mapToDouble(r -> total / r[pass].seconds()).sorted().toArray();
        return String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", rates[rates.length / 2], rates[0],
                rates[rates.length - 1]);
    }

    private static String verdict(List<Run[]> runs, int total) {
        for (Run[] run : runs) {
            if (run[0].rows() != total) {
                return " WRONG: the table holds " + run[0].rows() + " rows";
            }
            if (run.length > 1 && (run[0].added() < 0 || run[1].added() < 0)) {
                return " (cannot count new rows)";
            }
            if (run.length > 1 && (run[0].added() != total || run[1].added() != 0)) {
                return " WRONG: counted " + run[0].added() + " then " + run[1].added() + " new rows";
            }
        }
        return "";
    }

    private static String serverVersion(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            return connection.getMetaData().getDatabaseProductVersion();
        }
    }

    private static Run[] psqlCopy(String url, String schemaUrl, String schema, String table,
            List<List<RoutingMetricEvent>> batches, int total) throws Exception {
        truncate(schemaUrl, table);
        Path file = Files.createTempFile("eventlog-bench-", ".copy");
        try {
            List<RoutingMetricEvent> all = new ArrayList<>(total);
            batches.forEach(all::addAll);
            PgInsertStrategies.writeCopyFile(file, all);
            Properties server = Driver.parseURL(url, null);
            ProcessBuilder psql = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-h", server.getProperty("PGHOST"), "-p", server.getProperty("PGPORT"),
                    "-U", server.getProperty("user"), "-d", server.getProperty("PGDBNAME"),
                    "-c", "\\copy " + table + " (" + PgInsertStrategies.COLUMNS + ") FROM '" + file + "'")
                    .inheritIO();
            if (server.getProperty("password") != null) {
                psql.environment().put("PGPASSWORD", server.getProperty("password"));
            }
            long start = System.nanoTime();
            int exit = psql.start().waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("psql \\copy failed with exit code " + exit);
            }
            return new Run[] {new Run(seconds, total, count(schemaUrl, table))};
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void truncate(String url, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + table);
            statement.execute("VACUUM ANALYZE " + table);
            try {
                statement.execute("CHECKPOINT");
            } catch (SQLException notAllowed) {
                System.out.println("(no CHECKPOINT between runs: " + notAllowed.getMessage() + ")");
            }
        }
    }

    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    private static long count(String url, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<List<RoutingMetricEvent>> batches(List<RoutingMetricEvent> events, int size) {
        List<List<RoutingMetricEvent>> batches = new ArrayList<>();
        for (int start = 0; start < events.size(); start += size) {
            List<RoutingMetricEvent> batch = new ArrayList<>(
                    events.subList(start, Math.min(events.size(), start + size)));
            // In id order, as the store writes them, so that no way is favoured.
            batch.sort(Comparator.comparing(RoutingMetricEvent::id));
            batches.add(batch);
        }
        return batches;
    }

    /** Realistic routing decisions: one every 10 ms, a few models, real-looking query text. */
    static List<RoutingMetricEvent> routingEvents(int count) {
        Random random = new Random(42);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<RoutingMetricEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant ts = t0.plusMillis(i * 10L);
            String predicted = MODELS[random.nextInt(MODELS.length)];
            String actual = random.nextInt(4) == 0 ? MODELS[random.nextInt(MODELS.length)] : predicted;
            RoutingMetricEvent.Builder event = RoutingMetricEvent.builder().id(Ids.next(ts.toEpochMilli())).ts(ts)
                    .sessionId("session-" + (i / 50)).source("host-" + (i % 7))
                    .queryId("q-" + i).predictedModel(predicted).actualModel(actual)
                    .dqScore(random.nextDouble()).complexity(random.nextDouble())
                    .accuracy(predicted.equals(actual)).costSaved(random.nextDouble() / 10)
                    .reasoning("complexity " + random.nextInt(100) + "% and domain match")
                    .queryText("how do I fix the failing build step " + i + " in module " + random.nextInt(40));
            if (i % 10 == 0) {
                event.attribute("client", "cli").attribute("retries", (long) random.nextInt(3));
            }
            events.add(event.build());
        }
        return events;
    }
}
