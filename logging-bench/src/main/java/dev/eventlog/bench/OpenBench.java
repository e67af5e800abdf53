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
 * the open of that existing file. Run with {@code -Dbench=open}; {@code -Dbench.openSamples}
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
        Path dir = Files.createTempDirectory("eventlog-bench-open");
        for (int i = 0; i < samples; i++) {
            Path db = dir.resolve("events-" + i + ".db");
            double[] times = child(db, true);
            first[i] = times[0];
            reopen[i] = times[1];
            existing[i] = child(db, false)[0];
        }
        System.out.printf("SQLite open, %d fresh JVMs (ms)             median      min      max%n", samples);
        print("first open of a new file (fresh JVM)", first);
        print("reopen in the same JVM", reopen);
        print("open of an existing file (fresh JVM)", existing);
    }

    private static void print(String what, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf("%-40s %8.1f %8.1f %8.1f%n", what, sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1]);
    }

    private static double[] child(Path db, boolean reopen) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenBench.class.getName(), db.toString(),
                Boolean.toString(reopen)));
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
        return new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    }

    /**
     * The child: opens {@code args[0]} and prints {@code open-child <open ms> <reopen ms>}; the
     * reopen is timed only when {@code args[1]} is true (median of 5).
     */
    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        long start = System.nanoTime();
        SqliteEventStore.open(db).close();
        double openMs = (System.nanoTime() - start) / 1e6;
        double reopenMs = 0;
        if (Boolean.parseBoolean(args[1])) {
            double[] reopens = new double[5];
            for (int i = 0; i < reopens.length; i++) {
                long t = System.nanoTime();
                SqliteEventStore.open(db).close();
                reopens[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(reopens);
            reopenMs = reopens[reopens.length / 2];
        }
        System.out.println(CHILD + " " + openMs + " " + reopenMs);
        System.exit(0);
    }
}
