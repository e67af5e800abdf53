package dev.eventlog.bench;

import dev.eventlog.sqlite.SqliteEventStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cost of opening a SQLite store in a fresh JVM: each sample is a child JVM that times
 * {@link SqliteEventStore#open(Path)} on a file that does not exist yet (the first open, class
 * loading included), then a reopen of the same file in the same JVM; a second child JVM times
 * the open of that existing file; a third times the open of a new file after loading sqlite-jdbc
 * (its native library, its first connection), which is eventlog's own share; a fourth times the
 * first open with the native library cache off ({@code -Deventlog.sqlite.nativeCache=false}), the
 * reference for the cache in the same run. Run with {@code -Dbench=open}; {@code -Dbench.openSamples}
 * sets the number of samples (default 7). Prints the median and the range of each.
 */
final class OpenBench {
    private static final String CHILD = "open-child";

    private OpenBench() {
    }

    static void run() throws Exception {
        int samples = Integer.getInteger("bench.openSamples", 7);
        double[] first = new double[samples];
        double[] reopen = new double[samples];
        double[] existing = new double[samples];
        double[] driver = new double[samples];
        double[] afterDriver = new double[samples];
        double[] extracting = new double[samples];
        Path dir = Files.createTempDirectory("eventlog-bench-open");
        for (int i = 0; i < samples; i++) {
            Path db = dir.resolve("events-" + i + ".db");
            // The reference in the same run: sqlite-jdbc extracting its library as it does by itself.
            extracting[i] = child(dir.resolve("extracting-" + i + ".db"), "cold", "-Deventlog.sqlite.nativeCache=false")[0];
            double[] times = child(db, "cold");
            first[i] = times[0];
            reopen[i] = times[1];
            existing[i] = child(db, "cold")[0];
            double[] warm = child(dir.resolve("warm-" + i + ".db"), "driver-first");
            afterDriver[i] = warm[0];
            driver[i] = warm[2];
        }
        System.out.printf("SQLite open, %d fresh JVMs (ms)                       median      min      max%n", samples);
        print("first open of a new file (fresh JVM)", first);
        print("  the same, library extracted (no cache)", extracting);
        print("reopen in the same JVM (median of 5)", reopen);
        print("open of an existing file (fresh JVM)", existing);
        print("sqlite-jdbc load + first connection", driver);
        print("first open of a new file, driver loaded", afterDriver);
    }

    private static void print(String what, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf("%-40s %8.1f %8.1f %8.1f%n", what, sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1]);
    }

    private static double[] child(Path db, String mode, String... jvmArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OpenBench.class.getName(), db.toString(),
                mode));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        if (process.waitFor() != 0 || line == null || !line.startsWith(CHILD)) {
            throw new IllegalStateException("open child failed: " + line);
        }
        String[] parts = line.split(" ");
        return new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2]), Double.parseDouble(parts[3])};
    }

    /**
     * The child: opens {@code args[0]} and prints {@code open-child <open ms> <reopen ms> <driver ms>},
     * then reopens it 5 times (the median is printed). With {@code args[1]} {@code driver-first}
     * it first loads sqlite-jdbc and opens an in-memory database (timed as the driver's cost), so
     * that the open's time is eventlog's own.
     */
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        double driverMs = 0;
        if (args[1].equals("driver-first")) {
            long t = System.nanoTime();
            java.sql.DriverManager.getConnection("jdbc:sqlite::memory:").close();
            driverMs = (System.nanoTime() - t) / 1e6;
        }
        long start = System.nanoTime();
        SqliteEventStore.open(db).close();
        double openMs = (System.nanoTime() - start) / 1e6;
        double[] reopens = new double[5];
        for (int i = 0; i < reopens.length; i++) {
            long t = System.nanoTime();
            SqliteEventStore.open(db).close();
            reopens[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(reopens);
        double reopenMs = reopens[reopens.length / 2];
        System.out.println(CHILD + " " + openMs + " " + reopenMs + " " + driverMs);
        System.exit(0);
    }
}
