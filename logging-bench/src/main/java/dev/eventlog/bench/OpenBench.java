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
 * reference for the cache in the same run; a fifth starts the application's logging (SLF4J and the
 * binding on the class path, logback here) before the open, as an application that logs at start
 * has done by the time it opens a store: sqlite-jdbc asks SLF4J for a logger when it loads, so
 * otherwise the open pays for starting the application's logging. Every child also reports the CPU
 * time (user + system, all threads, from {@code /proc/self/stat}, 10 ms steps) it has used by the
 * end of its first open, JVM start included, which the load of a shared machine disturbs less than
 * wall time. A sixth child runs with a class-data archive of the application
 * ({@code -XX:SharedArchiveFile}, made once before the samples by a child run with
 * {@code -XX:ArchiveClassesAtExit}): what an application that ships one gets; the other rows are
 * a plain {@code java -cp}. A seventh runs without the class path's SLF4J binding: what an
 * application that has not chosen one pays. Run with {@code -Dbench=open}; {@code -Dbench.openSamples} sets the
 * number of samples (default 7). Prints the median and the range of each.
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
        double[] logging = new double[samples];
        double[] afterLogging = new double[samples];
        double[] firstCpu = new double[samples];
        double[] extractingCpu = new double[samples];
        double[] existingCpu = new double[samples];
        double[] afterLoggingCpu = new double[samples];
        double[] archived = new double[samples];
        double[] archivedCpu = new double[samples];
        double[] unbound = new double[samples];
        double[] unboundCpu = new double[samples];
        String withoutBinding = withoutLoggingProvider();
        Path dir = Files.createTempDirectory("eventlog-bench-open");
        Path archive = dir.resolve("open.jsa");
        String archivable = archivableClassPath(dir);
        childOn(dir.resolve("training.db"), "cold", archivable, "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
        if (!Files.isRegularFile(archive)) {
            // Else the archive's row would quietly time JVMs that run without it.
            throw new IllegalStateException("the training JVM wrote no class-data archive " + archive);
        }
        for (int i = 0; i < samples; i++) {
            Path db = dir.resolve("events-" + i + ".db");
            // The reference in the same run: sqlite-jdbc extracting its library as it does by itself.
            double[] uncached = child(dir.resolve("extracting-" + i + ".db"), "cold", "-Deventlog.sqlite.nativeCache=false");
            extracting[i] = uncached[0];
            extractingCpu[i] = uncached[3];
            double[] times = child(db, "cold");
            first[i] = times[0];
            reopen[i] = times[1];
            firstCpu[i] = times[3];
            double[] again = child(db, "cold");
            existing[i] = again[0];
            existingCpu[i] = again[3];
            double[] warm = child(dir.resolve("warm-" + i + ".db"), "driver-first");
            afterDriver[i] = warm[0];
            driver[i] = warm[2];
            double[] logged = child(dir.resolve("logging-" + i + ".db"), "logging-first");
            afterLogging[i] = logged[0];
            logging[i] = logged[2];
            afterLoggingCpu[i] = logged[3];
            double[] shared = childOn(dir.resolve("archived-" + i + ".db"), "cold", archivable,
                    "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
            archived[i] = shared[0];
            archivedCpu[i] = shared[3];
            double[] bare = childOn(dir.resolve("unbound-" + i + ".db"), "cold", withoutBinding);
            unbound[i] = bare[0];
            unboundCpu[i] = bare[3];
        }
        System.out.printf("SQLite open, %d fresh JVMs (ms)                       median      min      max%n", samples);
        print("first open of a new file (fresh JVM)", first);
        print("  the same, library extracted (no cache)", extracting);
        print("reopen in the same JVM (median of 5)", reopen);
        print("open of an existing file (fresh JVM)", existing);
        print("sqlite-jdbc load + first connection", driver);
        print("first open of a new file, driver loaded", afterDriver);
        print("application logging start (SLF4J+binding)", logging);
        print("first open of a new file, logging started", afterLogging);
        print("first open of a new file, AppCDS archive", archived);
        print("first open of a new file, no SLF4J binding", unbound);
        System.out.println("CPU time of the child JVM, start to end of its first open (ms)");
        print("first open of a new file (fresh JVM)", firstCpu);
        print("  the same, library extracted (no cache)", extractingCpu);
        print("open of an existing file (fresh JVM)", existingCpu);
        print("first open, logging started (incl. it)", afterLoggingCpu);
        print("first open, AppCDS archive", archivedCpu);
        print("first open, no SLF4J binding", unboundCpu);
    }

    private static void print(String what, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf("%-40s %8.1f %8.1f %8.1f%n", what, sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1]);
    }

    /**
     * This JVM's class path with each directory (the bench's own classes when Maven runs it) packed
     * into a jar in {@code dir}: the JVM refuses to archive classes from a class path holding a
     * non-empty directory.
     */
    private static String archivableClassPath(Path dir) throws java.io.IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.isDirectory(path)) {
                entries.add(entry);
                continue;
            }
            Path jar = dir.resolve("classes-" + entries.size() + ".jar");
            try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                    java.util.stream.Stream<Path> files = Files.walk(path)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new java.util.jar.JarEntry(path.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            entries.add(jar.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /**
     * This JVM's class path without the jars that provide an SLF4J binding
     * ({@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}): the store's own dependencies
     * as an application that has not chosen a logging binding has them, where SLF4J falls back to
     * its no-operation logger (and says so once on stderr).
     */
    private static String withoutLoggingProvider() throws java.io.IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isRegularFile(path)) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(path.toFile())) {
                    if (jar.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") != null) {
                        continue;
                    }
                }
            }
            entries.add(entry);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static double[] child(Path db, String mode, String... jvmArgs) throws Exception {
        return childOn(db, mode, System.getProperty("java.class.path"), jvmArgs);
    }

    private static double[] childOn(Path db, String mode, String classPath, String... jvmArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-cp", classPath, OpenBench.class.getName(), db.toString(),
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
        return new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2]), Double.parseDouble(parts[3]),
            Double.parseDouble(parts[4])};
    }

    /**
     * The CPU time this process has used, user and system, all its threads, in ms (Linux
     * {@code /proc/self/stat}, in clock ticks of 10 ms); NaN elsewhere.
     */
    private static double cpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // The command name in brackets may hold spaces: count the fields after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The child: opens {@code args[0]} and prints
     * {@code open-child <open ms> <reopen ms> <before ms> <CPU ms at the end of the open>}, having
     * reopened it 5 times (the median is printed). With {@code args[1]} {@code driver-first} it
     * first loads sqlite-jdbc and opens an in-memory database the way the store connects, through
     * {@code SQLiteConfig} (timed as {@code before}), so that the
     * open's time is eventlog's own; with {@code logging-first} it first gets an SLF4J logger, which
     * starts the logging binding on the class path (timed as {@code before}).
     */
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        double driverMs = 0;
        if (args[1].equals("driver-first")) {
            long t = System.nanoTime();
            // Connected as the store connects, not through DriverManager, which would first load
            // every JDBC driver on the class path (PostgreSQL's too), a cost the store never pays.
            new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite::memory:").close();
            driverMs = (System.nanoTime() - t) / 1e6;
        } else if (args[1].equals("logging-first")) {
            long t = System.nanoTime();
            org.slf4j.LoggerFactory.getLogger(OpenBench.class);
            driverMs = (System.nanoTime() - t) / 1e6;
        }
        long start = System.nanoTime();
        SqliteEventStore.open(db).close();
        double openMs = (System.nanoTime() - start) / 1e6;
        double cpuMs = cpuMs();
        double[] reopens = new double[5];
        for (int i = 0; i < reopens.length; i++) {
            long t = System.nanoTime();
            SqliteEventStore.open(db).close();
            reopens[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(reopens);
        double reopenMs = reopens[reopens.length / 2];
        System.out.println(CHILD + " " + openMs + " " + reopenMs + " " + driverMs + " " + cpuMs);
        System.exit(0);
    }
}
