package dev.eventlog.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Runs the eventlog command as a real child process (its own JVM), as a shell would. */
final class CliProcess {
    /** Children still running when the test JVM ends (a test that failed before stopping its service) are killed then. */
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
                "eventlog-test-children"));
    }

    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code eventlog args…} with the JVM options given, its stdout and stderr going to
     * files in {@code dir}.
     */
    static CliProcess start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        return startIn(null, dir, jvmOptions, args);
    }

    /**
     * Starts {@code eventlog args…} in the working directory {@code workDir} (the test's own when
     * null), as {@link #start} does.
     */
    static CliProcess startIn(Path workDir, Path dir, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EventlogCommand.class.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = new ProcessBuilder(command).directory(workDir == null ? null : workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        STARTED.add(process);
        process.onExit().thenRun(() -> STARTED.remove(process));
        return new CliProcess(process, out, err);
    }

    /** Runs {@code eventlog args…} in a child JVM and waits for it (at most ten minutes: a hang guard, not a timing). */
    static Cli.Result run(Path dir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return start(dir, jvmOptions, args).await();
    }

    /** Kills the process with SIGKILL, if it still runs. */
    void kill() {
        process.destroyForcibly();
    }

    /** Sends SIGTERM, as a service manager stopping it would. */
    void terminate() {
        process.destroy();
    }

    /** Whether the process still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** What the process wrote to stderr so far. */
    String errSoFar() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** The child's threads as jstack prints them, to say where it hung. */
    private String threadDump() throws IOException, InterruptedException {
        Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
        Path dump = Files.createTempFile(out.getParent(), "jstack", ".txt");
        Process dumper = new ProcessBuilder(jstack.toString(), Long.toString(process.pid()))
                .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
        if (!dumper.waitFor(30, TimeUnit.SECONDS)) {
            dumper.destroyForcibly();
        }
        return Files.readString(dump);
    }

    /** Waits for the process (at most ten minutes, then kills it) and returns what it did. */
    Cli.Result await() throws IOException, InterruptedException {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            String threads = threadDump();
            process.destroyForcibly().waitFor();
            throw new AssertionError("eventlog did not finish in ten minutes: " + Files.readString(err)
                    + "\nits threads:\n" + threads);
        }
        return new Cli.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
