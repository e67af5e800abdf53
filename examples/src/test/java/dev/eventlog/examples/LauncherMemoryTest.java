package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code bin/eventlog import} (the runnable jar the build made) as a user does, with
 * no JVM options of their own, and reads the process's peak resident memory from
 * {@code /proc/PID/status} while it runs.
 */
class LauncherMemoryTest {
    private static final long MAX_RESIDENT_KB = 300L * 1024;

    @TempDir
    Path dir;

    @Test
    void anImportOfAHundredThousandLinesStaysUnderThreeHundredMegabytesOfResidentMemory() throws Exception {
        int lines = 100_000;
        Path input = routingLines(lines);
        Path db = dir.resolve("events.db");

        long peakKb = importWithPeak(Map.of(), input, db);

        assertThat(rows(db)).isEqualTo(lines);
        assertThat(peakKb).as("peak resident memory of bin/eventlog import, KB").isLessThanOrEqualTo(MAX_RESIDENT_KB);
    }

    @Test
    void theUsersOwnJvmOptionsReplaceTheImportDefaultsWithoutAConflictingCollector() throws Exception {
        Path input = routingLines(1000);
        Path db = dir.resolve("events.db");

        importWithPeak(Map.of("EVENTLOG_JAVA_OPTS", "-XX:+UseG1GC -Xmx128m"), input, db);

        assertThat(rows(db)).isEqualTo(1000);
    }

    /** Legacy routing lines as older hooks wrote them (aliases, epoch seconds with a fraction). */
    private Path routingLines(int lines) throws IOException {
        Path file = Files.createDirectories(dir.resolve("legacy")).resolve("routing-metrics.jsonl");
        Random random = new Random(42);
        String[] models = {"haiku", "sonnet", "opus"};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                String predicted = models[random.nextInt(3)];
                out.write(String.format(Locale.ROOT, "{\"ts\": %d.%03d, \"query_id\": \"q-%08d\", \"predicted\": \"%s\","
                        + " \"actual\": \"%s\", \"dq\": %.4f, \"complexity\": %.4f, \"correct\": true,"
                        + " \"query\": \"how do I fix the failing build in module %d of the service?\"}%n",
                        1_767_225_600L + i / 10, random.nextInt(1000), i, predicted, predicted, random.nextDouble(),
                        random.nextDouble(), random.nextInt(50)));
            }
        }
        return file;
    }

    /** Runs bin/eventlog import with {@code env} added and returns the highest VmHWM read while it ran. */
    private long importWithPeak(Map<String, String> env, Path input, Path db) throws Exception {
        Path root = repositoryRoot();
        Path log = dir.resolve("import.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(root.resolve("bin/eventlog").toString(), "import",
                "--to", "sqlite:" + db, "--no-progress", "--state-dir", dir.resolve("state").toString(),
                input.toString())).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("EVENTLOG_JAVA_OPTS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().putAll(env);
        Process process = builder.start();
        // The script execs java, so the process's id is the JVM's.
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        long peakKb = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (process.isAlive() && System.nanoTime() < deadline) {
            peakKb = Math.max(peakKb, highWaterMarkKb(status));
            Thread.sleep(10);
        }
        assertThat(process.waitFor(1, TimeUnit.SECONDS)).as("bin/eventlog import finished").isTrue();
        assertThat(process.exitValue()).as("bin/eventlog import failed: %s", Files.readString(log)).isZero();
        assertThat(peakKb).as("VmHWM read from %s while the import ran", status).isPositive();
        return peakKb;
    }

    /** The process's peak resident set size so far, or 0 when it has just exited. */
    private static long highWaterMarkKb(Path status) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException exited) {
            return 0;
        }
        for (String line : lines) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").strip());
            }
        }
        return 0;
    }

    private static long rows(Path db) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM routing_metrics_events")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The repository root: the directory above this module holding bin/eventlog. */
    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bin/eventlog")) && Files.isDirectory(d.resolve("examples"))) {
                assertThat(d.resolve("logging-cli/target/eventlog.jar"))
                        .as("the runnable jar, built by 'mvn package' before this module's tests").exists();
                return d;
            }
        }
        throw new IllegalStateException("no bin/eventlog above " + Path.of("").toAbsolutePath());
    }
}
