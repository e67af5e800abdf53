package dev.eventlog.bench;

import org.openjdk.jmh.runner.Runner;
import org.slf4j.LoggerFactory;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks: {@code side-by-side} (the default) prints the comparison table;
 * {@code store} the SQLite store's open cost and batched append rate; {@code open} the first
 * open of a new SQLite store in a fresh JVM ({@link OpenBench}); {@code jmh} runs
 * {@link AppendLatencyBenchmark}; {@code analytics} times the analytics questions
 * ({@link AnalyticsBench}); {@code analytics-month} one month of a year of events in a partitioned
 * PostgreSQL store, from the day summaries and by the raw scan ({@link AnalyticsMonthBench}); {@code import} the import and copy side by side with the peers
 * ({@link ImportSideBySide}); {@code sessions} the session questions ({@link SessionsBench}); {@code session-append} what listing each append's sessions costs a PostgreSQL append ({@link SessionAppendBench}); {@code pg-insert} compares the PostgreSQL insert paths ({@link PgInsertBench}); {@code hook} one event from a
 * shell hook: the client, a Python insert and {@code eventlog log} ({@link HookBench}); {@code follow} the
 * tailing of a legacy file by {@code eventlog serve --follow} against the import ({@link FollowBench});
 * {@code sqlite-insert} the import's engine limit beside plain JDBC and the store's append ({@link SqliteInsertPaths});
 * {@code kafka} the Kafka producer and the sink into PostgreSQL ({@link KafkaBench}).
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** Entry point; the argument chooses the benchmark. */
    public static void main(String[] args) throws Exception {
        // Logback is on the class path as a peer, so it is also the SLF4J binding: keep HikariCP and
        // eventlog's own diagnostics to warnings.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        String which = args.length == 0 ? "side-by-side" : args[0];
        switch (which) {
            case "side-by-side" -> SideBySide.run();
            case "store" -> StoreBasics.run();
            case "open" -> OpenBench.run();
            case "analytics" -> AnalyticsBench.run();
            case "analytics-month" -> AnalyticsMonthBench.run();
            case "pg-insert" -> PgInsertBench.run();
            case "import" -> ImportSideBySide.run();
            case "sqlite-insert" -> SqliteInsertPaths.run();
            case "sessions" -> SessionsBench.run();
            case "session-append" -> SessionAppendBench.run();
            case "serve" -> ServeBench.run();
            case "follow" -> FollowBench.run();
            case "hook" -> HookBench.run();
            case "retention" -> RetentionBench.run();
            case "writers" -> WritersBench.run();
            case "kafka" -> KafkaBench.run();
            case "jmh" -> new Runner(new OptionsBuilder().include(AppendLatencyBenchmark.class.getSimpleName())
                    .build()).run();
            default -> throw new IllegalArgumentException("bench was '" + which
                    + "' but it must be side-by-side, import, store, open, jmh, analytics, analytics-month, sessions, session-append, serve, follow, hook, retention, writers, kafka, sqlite-insert or pg-insert");
        }
    }
}
