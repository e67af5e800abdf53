package dev.eventlog.bench;

import dev.eventlog.AsyncOptions;
import dev.eventlog.Backpressure;
import dev.eventlog.EventLogger;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.postgres.PartitionInterval;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.postgres.PostgresOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Many writers into one PostgreSQL: N writer processes (8), each an async {@link EventLogger}
 * (batches of 5 000, a pool of 2, backpressure BLOCK so no event is dropped) logging {@code tool_use}
 * events as fast as it can for S seconds (60) into one store partitioned by month; then a single
 * {@code psql \copy} of the same rows (exported to a file first) into an empty table of the same
 * layout, in the same run. Run: {@code mvn -q -pl logging-bench -am package -DskipTests exec:exec
 * -Dbench=writers -Dbench.jvmArgs="-Dbench.writers=8 -Dbench.seconds=60"}.
 *
 * <p>It prints the store's rows every 5 s while the writers run (after a warm-up of 10 s from the
 * first rows, the average and the lowest 5-second rate while every writer runs are the "sustained"
 * figures), the total throughput from the writers' start to the last one's flush, the
 * {@code \copy}'s throughput and the ratio, and checks that nothing was lost: each writer reports
 * how many events it logged and the SHA-256 of their sorted ids, and the same count and digest are
 * computed from the store's rows of that writer. Each 5-second line also shows the CPU time the
 * writer JVMs and their server backends used (from {@code /proc}, when the server runs on this
 * machine; the backends are found by the writers' {@code application_name}) and whether the server
 * made a checkpoint; at the end the CPU per 1 000 events of both sides after warm-up, and each
 * writer's CPU time and garbage collections. {@code bench.writerJvmArgs} sets the writers' JVM
 * options (default {@code -Xmx512m}). The server is {@code EVENTLOG_BENCH_PG_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); psql is run with
 * {@code PGHOST}/{@code PGPORT}/{@code PGUSER}/{@code PGDATABASE} taken from it. It drops its schemas.
 */
final class WritersBench {
    private static final String TABLE = "tool_events";

    private WritersBench() {
    }

    /** Runs the writers, then the {@code \copy}, and prints the comparison. */
    static void run() throws Exception {
        String url = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        int writers = Integer.getInteger("bench.writers", 8);
        int seconds = Integer.getInteger("bench.seconds", 60);
        String prefix = "eventlog_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String schema = prefix + "_writers";
        String copySchema = prefix + "_copy";
        Path work = Files.createTempDirectory("eventlog-writers-bench");
        System.out.printf(Locale.ROOT, "writers bench: %d writer processes x async logger for %d s into one store"
                + " partitioned by month; load average %s%n", writers, seconds, SideBySide.loadAverage());
        try {
            for (String name : List.of(schema, copySchema)) {
                PostgresEventStore.open(storeUrl(url, name), PostgresOptions.builder()
                        .partitions(PartitionInterval.MONTH).build()).close();
            }
            List<Process> children = new ArrayList<>();
            long start = System.nanoTime();
            List<String> writerJvm = writerJvmArgs();
            System.out.printf(Locale.ROOT, "writer JVM options: %s%n", String.join(" ", writerJvm));
            for (int k = 0; k < writers; k++) {
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(writerJvm);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), Writer.class.getName(),
                        storeUrl(url, schema), Integer.toString(k), Integer.toString(seconds),
                        work.resolve("writer-" + k + ".txt").toString(), prefix));
                children.add(new ProcessBuilder(command)
                        .redirectError(work.resolve("writer-" + k + ".err").toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            long lowest = Long.MAX_VALUE;
            long before = 0;
            long sampleStart = System.nanoTime();
            long firstRowsAt = 0;
            long steadyRows = -1;
            long steadyStart = 0;
            long steadyEndRows = 0;
            long steadyEnd = 0;
            CpuTicks clientCpu = new CpuTicks();
            CpuTicks serverCpu = new CpuTicks();
            long steadyClientTicks = 0;
            long steadyServerTicks = 0;
            int steadyCheckpoints = 0;
            try (Connection connection = DriverManager.getConnection(url)) {
                long checkpoints = checkpoints(connection);
                while (children.stream().anyMatch(Process::isAlive)) {
                    Thread.sleep(5_000);
                    long rows = count(connection, schema);
                    long now = System.nanoTime();
                    long clientTicks = clientCpu.advance(children.stream().map(Process::pid).toList());
                    long serverTicks = serverCpu.advance(backends(connection, prefix));
                    long checkpointsNow = checkpoints(connection);
                    boolean checkpointed = checkpointsNow != checkpoints;
                    checkpoints = checkpointsNow;
                    long rate = (long) ((rows - before) / ((now - sampleStart) / 1e9));
                    // Running = still logging: a writer that stopped is draining its queue or checking its ids.
                    boolean allRunning = children.stream().allMatch(Process::isAlive)
                            && !anyStoppedLogging(work, writers);
                    if (rows > 0 && firstRowsAt == 0) {
                        firstRowsAt = now;
                    }
                    // The first 10 s after the first rows are the writers' JVM start-up and warm-up.
                    boolean steady = firstRowsAt > 0 && now - firstRowsAt >= TimeUnit.SECONDS.toNanos(10) && allRunning;
                    System.out.printf(Locale.ROOT, "  t=%5.1f s  %,12d rows  %,9d rows/s  cpu writers %5.2f s,"
                            + " their backends %5.2f s%s%s%n", (now - start) / 1e9, rows, rate, clientTicks / TICKS,
                            serverTicks / TICKS, checkpointed ? "  (checkpoint)" : "",
                            allRunning ? (steady ? "" : "  (warming up)") : "  (some writers done logging)");
                    if (steady) {
                        lowest = Math.min(lowest, rate);
                        steadyClientTicks += clientTicks;
                        steadyServerTicks += serverTicks;
                        steadyCheckpoints += checkpointed ? 1 : 0;
                        if (steadyRows < 0) {
                            steadyRows = before;
                            steadyStart = sampleStart;
                        }
                        steadyEndRows = rows;
                        steadyEnd = now;
                    }
                    before = rows;
                    sampleStart = now;
                }
            }
            double steadyRate = steadyRows < 0 ? 0 : (steadyEndRows - steadyRows) / ((steadyEnd - steadyStart) / 1e9);
            long steadyEvents = Math.max(1, steadyEndRows - steadyRows);
            System.out.printf(Locale.ROOT, "CPU per 1 000 events after warm-up: writer JVMs %.1f ms, their server"
                    + " backends %.1f ms (%s); windows with a checkpoint: %d%n", steadyClientTicks / TICKS * 1e6
                    / steadyEvents, steadyServerTicks / TICKS * 1e6 / steadyEvents,
                    serverCpu.seen ? "from /proc" : "backends not on this machine", steadyCheckpoints);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            for (int k = 0; k < writers; k++) {
                Process child = children.get(k);
                child.waitFor(10, TimeUnit.MINUTES);
                if (child.exitValue() != 0) {
                    throw new IllegalStateException("writer " + k + " failed: "
                            + Files.readString(work.resolve("writer-" + k + ".err")));
                }
            }
            long logged = 0;
            int intact = 0;
            try (Connection connection = DriverManager.getConnection(url)) {
                for (int k = 0; k < writers; k++) {
                    String[] reported = Files.readString(work.resolve("writer-" + k + ".txt")).strip().split(" ");
                    long count = Long.parseLong(reported[0]);
                    logged += count;
                    String[] stored = storedDigest(connection, schema, k);
                    if (reported.length >= 5) {
                        System.out.printf(Locale.ROOT, "  writer %d: %,d events, CPU %.1f s, %s collections taking %s ms%n",
                                k, count, Long.parseLong(reported[4]) / 1e3, reported[2], reported[3]);
                    }
                    if (Long.parseLong(stored[0]) == count && stored[1].equals(reported[1])) {
                        intact++;
                    } else {
                        System.out.printf(Locale.ROOT, "  writer %d: logged %,d (%s), stored %s (%s)%n", k, count,
                                reported[1], stored[0], stored[1]);
                    }
                }
            }
            long total = countAll(url, schema);
            System.out.printf(Locale.ROOT, "writers: %,d events logged, %,d rows stored in %.1f s: %,.0f events/s overall"
                    + " (JVM start-up and the last flush included); after warm-up while all %d ran: %,.0f rows/s on"
                    + " average, lowest 5-second window %,d rows/s%n", logged, total, writeSeconds, total / writeSeconds,
                    writers, steadyRate, lowest == Long.MAX_VALUE ? 0 : lowest);
            System.out.printf(Locale.ROOT, "no event lost: %d of %d writers' count and id digest equal in the store"
                    + " (%s)%n", intact, writers, intact == writers && logged == total ? "yes" : "NO");

            Path rows = work.resolve("rows.copy");
            psql(url, "\\copy (SELECT * FROM " + schema + "." + TABLE + ") TO '" + rows + "'");
            long copyStart = System.nanoTime();
            psql(url, "\\copy " + copySchema + "." + TABLE + " FROM '" + rows + "'");
            double copySeconds = (System.nanoTime() - copyStart) / 1e9;
            long copied = countAll(url, copySchema);
            System.out.printf(Locale.ROOT, "psql \\copy of the same rows into the same layout: %,d rows in %.1f s:"
                    + " %,.0f rows/s%n", copied, copySeconds, copied / copySeconds);
            System.out.printf(Locale.ROOT, "writers / \\copy: %.2fx overall, %.2fx after warm-up; load average at the end"
                    + " %s%n", (total / writeSeconds) / (copied / copySeconds), steadyRate / (copied / copySeconds),
                    SideBySide.loadAverage());
        } finally {
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                statement.execute("DROP SCHEMA IF EXISTS " + copySchema + " CASCADE");
            }
            try (var files = Files.list(work)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(work);
        }
    }

    /** Whether a writer has stopped logging (it then flushes its queue and digests its ids). */
    private static boolean anyStoppedLogging(Path work, int writers) {
        for (int k = 0; k < writers; k++) {
            if (Files.exists(work.resolve("writer-" + k + ".txt.logged"))) {
                return true;
            }
        }
        return false;
    }

    /** Clock ticks per second of {@code /proc/PID/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    /**
     * The writers' JVM options: {@code bench.writerJvmArgs} when given (separated by spaces, or by a
     * comma before the next option's dash, so that they fit in one word of {@code bench.jvmArgs}),
     * else {@code -Xmx512m}.
     */
    private static List<String> writerJvmArgs() {
        String given = System.getProperty("bench.writerJvmArgs", "").strip();
        return given.isEmpty() ? List.of("-Xmx512m") : List.of(given.split("\\s+|,(?=-)"));
    }

    /** The server process ids of the writers' connections (their application name carries the run's prefix). */
    private static List<Long> backends(Connection connection, String prefix) throws SQLException {
        List<Long> pids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name"
                        + " LIKE 'eventlog-" + prefix + "-%'")) {
            while (rows.next()) {
                pids.add(rows.getLong(1));
            }
        }
        return pids;
    }

    /** Checkpoints the server has made since its statistics were reset (timed and requested). */
    private static long checkpoints(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** CPU time (user + system clock ticks from {@code /proc/PID/stat}) of a changing set of processes, as deltas. */
    private static final class CpuTicks {
        private final java.util.Map<Long, Long> last = new java.util.HashMap<>();
        private boolean seen;

        /** The ticks the processes used since the previous call (a process seen first counts from its start). */
        long advance(List<Long> pids) {
            long used = 0;
            for (long pid : pids) {
                long ticks = ticks(pid);
                if (ticks < 0) {
                    continue;
                }
                seen = true;
                Long before = last.put(pid, ticks);
                used += ticks - (before == null ? 0 : before);
            }
            return used;
        }

        private static long ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    private static String storeUrl(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static long count(Connection connection, String schema) throws SQLException {
        // The planner's estimate would lag; an exact count of a growing table is what the rate needs.
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + schema + "." + TABLE)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long countAll(String url, String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            return count(connection, schema);
        }
    }

    /** The count of writer {@code k}'s rows and the SHA-256 of their ids, sorted, as text lines. */
    private static String[] storedDigest(Connection connection, String schema, int k) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*), encode(sha256(convert_to("
                        + "coalesce(string_agg(id::text || chr(10), '' ORDER BY id::text), ''), 'UTF8')), 'hex') FROM "
                        + schema + "." + TABLE + " WHERE tool_name = 'writer-" + k + "'")) {
            rows.next();
            return new String[] {Long.toString(rows.getLong(1)), rows.getString(2)};
        }
    }

    private static void psql(String url, String command) throws IOException, InterruptedException {
        java.net.URI uri = java.net.URI.create(url.substring("jdbc:".length()));
        ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", command)
                .redirectErrorStream(true);
        builder.environment().put("PGHOST", uri.getHost());
        builder.environment().put("PGPORT", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()));
        builder.environment().put("PGDATABASE", uri.getPath().substring(1));
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("user=")) {
                builder.environment().put("PGUSER", pair.substring("user=".length()));
            }
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("psql " + command + " failed: " + output);
        }
    }


    /**
     * One writer process: {@code args} are the store URL, the writer's number, the seconds to log for,
     * the file it reports to, as {@code COUNT SHA256 GCS GC_MS CPU_MS} (the digest of its events' ids,
     * sorted, one per line; its collections, their time and its CPU time), and the run's prefix, which
     * names its connections ({@code application_name}).
     */
    public static final class Writer {
        private Writer() {
        }

        public static void main(String[] args) throws Exception {
            int k = Integer.parseInt(args[1]);
            String tool = "writer-" + k;
            UUID[] ids = new UUID[1 << 20];
            int n = 0;
            PostgresEventStore store = PostgresEventStore.open(args[0], PostgresOptions.builder().maximumPoolSize(2)
                    .applicationName("eventlog-" + args[4] + "-" + k).build());
            try (EventLogger log = EventLogger.builder().store(store)
                    .async(AsyncOptions.builder().batchSize(5_000).queueCapacity(65_536)
                            .backpressure(Backpressure.BLOCK).maxBlock(Duration.ofSeconds(60)).build()).build()) {
                // The S seconds count from the open store: on a loaded machine opening it takes tens of seconds.
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.parseInt(args[2]));
                while (System.nanoTime() < until) {
                    for (int i = 0; i < 1_000; i++) {
                        ToolUseEvent event = ToolUseEvent.builder().ts(Instant.now()).toolName(tool).success(n % 9 != 0)
                                .durationMs(n % 5_000).projectPath("/home/dev/p" + (n % 13)).build();
                        if (n == ids.length) {
                            ids = Arrays.copyOf(ids, n * 2);
                        }
                        ids[n++] = event.id();
                        log.log(event);
                    }
                }
                Files.writeString(Path.of(args[3] + ".logged"), "");
                if (!log.flush(Duration.ofMinutes(5))) {
                    throw new IllegalStateException("writer " + k + " could not flush in 5 minutes");
                }
                if (log.metrics().dropped() > 0 || log.metrics().failedEvents() > 0) {
                    throw new IllegalStateException("writer " + k + " lost events: " + log.metrics());
                }
            }
            String[] texts = new String[n];
            for (int i = 0; i < n; i++) {
                texts[i] = ids[i].toString();
            }
            Arrays.sort(texts);
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
            for (String text : texts) {
                sha256.update((text + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            long collections = 0;
            long collectionMs = 0;
            for (var collector : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                collections += Math.max(0, collector.getCollectionCount());
                collectionMs += Math.max(0, collector.getCollectionTime());
            }
            long cpuMs = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
            Files.writeString(Path.of(args[3]), n + " " + HexFormat.of().formatHex(sha256.digest()) + " " + collections
                    + " " + collectionMs + " " + cpuMs + "\n");
        }
    }
}
