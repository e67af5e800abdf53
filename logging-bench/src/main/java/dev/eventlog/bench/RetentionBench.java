package dev.eventlog.bench;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.Retention;
import dev.eventlog.migrate.RetentionReport;
import dev.eventlog.postgres.PartitionInterval;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.postgres.PostgresOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Dropping a month of old events: {@code eventlog retention}'s partition drop (without and with
 * the archive) beside a plain {@code DELETE} of the same rows, each on its own copy of the same
 * partitioned table, in one run: {@code mvn -q -pl logging-bench -am package -DskipTests exec:exec
 * -Dbench=retention -Dbench.jvmArgs="-Xmx3g -Dbench.events=1000000"}. The server is
 * {@code EVENTLOG_BENCH_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres});
 * it works in schemas of its own and drops them.
 */
final class RetentionBench {
    private static final Instant MONTH = Instant.parse("2025-06-01T00:00:00Z");
    private static final Instant CUT = Instant.parse("2025-07-01T00:00:00Z");

    private RetentionBench() {
    }

    /** Runs the comparison and prints one line per way. */
    static void run() throws Exception {
        String url = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        int total = Integer.getInteger("bench.events", 1_000_000);
        String prefix = "eventlog_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String[] schemas = {prefix + "_drop", prefix + "_delete", prefix + "_archive"};
        System.out.printf("retention bench: %,d tool_use events in June 2025, load average %s%n", total, SideBySide.loadAverage());
        Path archive = Files.createTempDirectory("eventlog-retention-bench");
        try {
            fill(url, schemas, total);
            analytics(url, schemas[0]);
            Instant now = CUT.plus(Duration.ofDays(180));
            long dropStart = System.nanoTime();
            RetentionReport dropped;
            try (PostgresEventStore store = open(url, schemas[0])) {
                dropped = Retention.run(store, new Retention.Plan(Map.of(EventKind.TOOL_USE, Duration.ofDays(180)),
                        null, true, false, now), MigrationListener.NONE);
            }
            double dropSeconds = seconds(dropStart);
            long deleteStart = System.nanoTime();
            long deleted;
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement()) {
                deleted = statement.executeUpdate("DELETE FROM " + schemas[1]
                        + ".tool_events WHERE ts < TIMESTAMPTZ '2025-07-01 00:00:00+00'");
            }
            double deleteSeconds = seconds(deleteStart);
            long archiveStart = System.nanoTime();
            RetentionReport archived;
            try (PostgresEventStore store = open(url, schemas[2])) {
                archived = Retention.run(store, new Retention.Plan(Map.of(EventKind.TOOL_USE, Duration.ofDays(180)),
                        archive, false, false, now), MigrationListener.NONE);
            }
            double archiveSeconds = seconds(archiveStart);
            System.out.printf("retention --no-archive (partition drop): %,d rows in %.2f s  %s%n", dropped.removed(),
                    dropSeconds, dropped.kinds().get(0).changes());
            System.out.printf("DELETE ... WHERE ts < cut:               %,d rows in %.2f s  (%.0fx the drop)%n", deleted,
                    deleteSeconds, deleteSeconds / dropSeconds);
            System.out.printf("retention --archive (write, check, drop): %,d rows in %.2f s  (%,.0f events/s archived)%n",
                    archived.removed(), archiveSeconds, archived.removed() / archiveSeconds);
            System.out.printf("load average at the end: %s%n", SideBySide.loadAverage());
        } finally {
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement()) {
                for (String schema : schemas) {
                    statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
            try (Stream<Path> files = Files.walk(archive)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /** Appends {@code total} events to the first schema's store, then copies its rows to the others server-side. */
    private static void fill(String url, String[] schemas, int total) throws SQLException {
        for (String schema : schemas) {
            open(url, schema).close();
        }
        try (PostgresEventStore store = open(url, schemas[0])) {
            List<Event> batch = new ArrayList<>(10_000);
            long spacing = Duration.ofDays(30).toMillis() / total;
            for (int i = 0; i < total; i++) {
                batch.add(ToolUseEvent.builder().ts(MONTH.plusMillis(spacing * i)).toolName("t" + (i % 17))
                        .success(i % 9 != 0).durationMs(i % 5_000).projectPath("/home/dev/p" + (i % 13)).build());
                if (batch.size() == 10_000) {
                    store.append(batch);
                    batch.clear();
                }
            }
            store.append(batch);
            store.append(List.of(ToolUseEvent.builder().ts(CUT.plus(Duration.ofDays(10))).toolName("young")
                    .success(true).build()));
            store.maintainPartitions();
        }
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            for (int i = 1; i < schemas.length; i++) {
                statement.executeUpdate("INSERT INTO " + schemas[i] + ".tool_events SELECT * FROM " + schemas[0]
                        + ".tool_events");
            }
            for (String schema : schemas) {
                statement.execute("ANALYZE " + schema + ".tool_events");
            }
        }
        for (int i = 1; i < schemas.length; i++) {
            try (PostgresEventStore store = open(url, schemas[i])) {
                store.maintainPartitions();
            }
        }
    }

    /**
     * Times {@code EventAnalytics.compute(from, until)} (every question, every kind) over one month: the
     * month of the N events, then the next month (one event; the planner prunes June's partition).
     * Each is asked twice and the second time is printed, the first warming the caches.
     */
    private static void analytics(String url, String schema) {
        try (PostgresEventStore store = open(url, schema)) {
            Instant july = CUT;
            Instant august = Instant.parse("2025-08-01T00:00:00Z");
            for (Instant[] range : new Instant[][] {{MONTH, july}, {july, august}}) {
                long millis = 0;
                dev.eventlog.analytics.Analytics answer = null;
                for (int i = 0; i < 2; i++) {
                    long start = System.nanoTime();
                    answer = dev.eventlog.analytics.EventAnalytics.of(store).compute(range[0], range[1]);
                    millis = (System.nanoTime() - start) / 1_000_000;
                }
                System.out.printf("analytics of %s .. %s (every question): %,d ms, %,d tool_use event(s) in the range%n",
                        range[0], range[1], millis, answer.counts().get(EventKind.TOOL_USE));
            }
        }
    }

    private static PostgresEventStore open(String url, String schema) {
        return PostgresEventStore.open(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

}
