package dev.eventlog.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The side-by-side comparison: runs every contender on this machine, one after the other, each
 * into a fresh database, and prints one table of ratios.
 *
 * <p>Sizes are system properties: {@code bench.asyncEvents} (200 000), {@code bench.peerEvents}
 * (20 000), {@code bench.syncEvents} (10 000); PostgreSQL runs use a fifth of them. The
 * PostgreSQL server is {@code EVENTLOG_BENCH_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); when it cannot be reached its rows
 * say so and the rest still runs.
 */
final class SideBySide {
    private final Path work;
    private final List<String[]> rows = new ArrayList<>();
    private int targets;

    private SideBySide(Path work) {
        this.work = work;
    }

    static void run() throws Exception {
        Path work = Files.createTempDirectory("eventlog-bench");
        try {
            new SideBySide(work).runAll();
        } finally {
            deleteTree(work);
        }
    }

    private Target sqlite(String name) {
        return Target.sqlite(work, name + "-" + targets++);
    }

    private void runAll() throws Exception {
        int asyncEvents = Integer.getInteger("bench.asyncEvents", 200_000);
        int peerEvents = Integer.getInteger("bench.peerEvents", 20_000);
        int syncEvents = Integer.getInteger("bench.syncEvents", 10_000);
        String pgUrl = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

        System.out.println("warming up …");
        EventlogRuns.asyncThroughput(sqlite("warm"), Workload.events(50_000));
        EventlogRuns.syncLatency(sqlite("warm"), Workload.events(2_000));
        LogbackPeer.run(sqlite("warm"), Workload.events(2_000));
        Log4jPeer.run(sqlite("warm"), Workload.events(2_000), work);
        RawJdbc.insertCommit(sqlite("warm"), Workload.events(2_000));

        System.out.println("SQLite …");
        Target[] asyncTarget = new Target[1];
        double async = best(() -> {
            asyncTarget[0] = sqlite("eventlog-async");
            EventlogRuns.Result result = EventlogRuns.asyncThroughput(asyncTarget[0], Workload.events(asyncEvents));
            check("eventlog async → SQLite", result.stored(), asyncEvents);
            return result.eventsPerSecond();
        });
        double logback = best(() -> LogbackPeer.run(sqlite("logback"), Workload.events(peerEvents)));
        double log4j = best(() -> Log4jPeer.run(sqlite("log4j2"), Workload.events(peerEvents), work));
        double insertSelect = best(() -> RawJdbc.insertSelect(asyncTarget[0], sqlite("insert-select")));
        throughputRows("SQLite", async, logback, log4j);
        row("async sustained → SQLite (events/s)", rate(async),
                "SQLite `INSERT … SELECT` of the same rows", rate(insertSelect), ratio(async / insertSelect), "≥ 0.7×");

        EventlogRuns.Result sync = EventlogRuns.syncLatency(sqlite("eventlog-sync"), Workload.events(syncEvents));
        Percentiles raw = RawJdbc.insertCommit(sqlite("raw-jdbc"), Workload.events(syncEvents));
        latencyRows("SQLite", sync.callerLatency(), raw, "p50 ≤ 100 µs, p99 ≤ 1 ms");

        for (int rate : new int[] {100_000, 2_000}) {
            int seconds = rate > 10_000 ? 3 : 5;
            EventlogRuns.Result paced = EventlogRuns.pacedAsync(sqlite("paced"),
                    new SpoolDir(work.resolve("spool-" + rate)), rate, seconds);
            String name = String.format(Locale.ROOT, "async caller at %,d events/s offered → SQLite", rate);
            Percentiles p = paced.callerLatency();
            row(name + ", p50 / p99 / p99.9", micros(p.micros(0.5)) + " / " + micros(p.micros(0.99)) + " / "
                    + micros(p.micros(0.999)), "dropped / spooled", paced.metrics().dropped() + " / "
                    + paced.metrics().spooled(), "", rate > 10_000 ? "p99 < 5 µs" : "p99 < 20 µs");
        }

        System.out.println("PostgreSQL …");
        try (Connection probe = DriverManager.getConnection(pgUrl)) {
            probe.isValid(5);
            Target.postgres(pgUrl, "probe").close();
        } catch (Exception e) {
            row("PostgreSQL rows", "not run: " + e.getMessage(), "", "", "", "");
            print();
            return;
        }
        try (Target warm = Target.postgres(pgUrl, "warm")) {
            EventlogRuns.asyncThroughput(warm, Workload.events(20_000));
            EventlogRuns.syncLatency(warm, Workload.events(1_000));
            RawJdbc.insertCommit(warm, Workload.events(1_000));
        }
        try (Target pgAsync = Target.postgres(pgUrl, "eventlog_async");
                Target pgLogback = Target.postgres(pgUrl, "logback");
                Target pgLog4j = Target.postgres(pgUrl, "log4j2");
                Target pgSync = Target.postgres(pgUrl, "eventlog_sync");
                Target pgRaw = Target.postgres(pgUrl, "raw_jdbc")) {
            EventlogRuns.Result pgAsyncResult = EventlogRuns.asyncThroughput(pgAsync, Workload.events(asyncEvents / 5));
            check("eventlog async → PostgreSQL", pgAsyncResult.stored(), asyncEvents / 5);
            double pgLogbackRate = LogbackPeer.run(pgLogback, Workload.events(peerEvents / 5));
            double pgLog4jRate = Log4jPeer.run(pgLog4j, Workload.events(peerEvents / 5), work);
            throughputRows("PostgreSQL", pgAsyncResult.eventsPerSecond(), pgLogbackRate, pgLog4jRate);
            EventlogRuns.Result pgSyncResult = EventlogRuns.syncLatency(pgSync, Workload.events(syncEvents / 5));
            Percentiles pgRawResult = RawJdbc.insertCommit(pgRaw, Workload.events(syncEvents / 5));
            latencyRows("PostgreSQL", pgSyncResult.callerLatency(), pgRawResult, "");
        }
        print();
    }

    /** The load average over 1, 5 and 15 minutes as {@code "a / b / c"} (Linux {@code /proc/loadavg}). */
    static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** A throughput measured {@code bench.rounds} times (default 3), each into a fresh database: the best. */
    static double best(java.util.concurrent.Callable<Double> run) throws Exception {
        double best = 0;
        for (int round = Integer.getInteger("bench.rounds", 3); round > 0; round--) {
            best = Math.max(best, run.call());
        }
        return best;
    }

    private void throughputRows(String database, double eventlog, double logback, double log4j) {
        String what = "async → " + database + " (events/s)";
        row(what, rate(eventlog), "Logback DBAppender (AsyncAppender, no discarding)", rate(logback),
                ratio(eventlog / logback), "");
        row(what, rate(eventlog), "Log4j2 JDBC appender (bufferSize " + EventlogRuns.BATCH + ")", rate(log4j), ratio(eventlog / log4j),
                "≥ 5× the better peer");
    }

    private void latencyRows(String database, Percentiles eventlog, Percentiles raw, String target) {
        String what = "sync single append → " + database + ", caller ";
        row(what + "p50", micros(eventlog.micros(0.5)), "raw JDBC insert + commit", micros(raw.micros(0.5)),
                ratio(eventlog.micros(0.5) / raw.micros(0.5)), target);
        row(what + "p99", micros(eventlog.micros(0.99)), "raw JDBC insert + commit", micros(raw.micros(0.99)),
                ratio(eventlog.micros(0.99) / raw.micros(0.99)), "");
        row(what + "p99.9", micros(eventlog.micros(0.999)), "raw JDBC insert + commit", micros(raw.micros(0.999)),
                ratio(eventlog.micros(0.999) / raw.micros(0.999)), "");
    }

    private static void check(String what, long stored, long expected) {
        if (stored != expected) {
            throw new IllegalStateException(what + " stored " + stored + " of " + expected + " events");
        }
    }

    private void row(String... cells) {
        rows.add(cells);
        System.out.println("  " + String.join(" | ", cells));
    }

    private void print() {
        System.out.printf("%n%d cores, %s, Java %s%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("java.version"));
        System.out.println("| measurement | eventlog | compared with | their figure | ratio | target |");
        System.out.println("|---|---:|---|---:|---:|---|");
        for (String[] cells : rows) {
            System.out.println("| " + String.join(" | ", cells) + " |");
        }
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String micros(double value) {
        return String.format(Locale.ROOT, "%,.1f µs", value);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }

    static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
