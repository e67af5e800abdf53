package dev.eventlog.sqlite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A {@link FaultChild} in its own JVM on the test class path, with everything it printed collected. */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Thread reader;
    private final Path stderr;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::read, "child-stdout-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code FaultChild args…}; its standard error goes to {@code stderr}. */
    static ChildJvm start(Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FaultChild.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(process, stderr);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("READ-ERROR " + e);
        }
    }

    /** Waits until the child has acknowledged at least {@code count} events. */
    void awaitAcks(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acks().size() < count) {
            if (!process.isAlive() && !reader.isAlive()) {
                throw new AssertionError("child exited with " + process.exitValue() + " after " + acks().size()
                        + " acks; stderr: " + Files.readString(stderr));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("child acknowledged " + acks().size() + " of " + count + " events in "
                        + timeout + "; stderr: " + Files.readString(stderr));
            }
            Thread.sleep(5);
        }
    }

    /** Waits until the child printed {@code line}. */
    void awaitLine(String line, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!lines.contains(line)) {
            if (System.nanoTime() > deadline || (!process.isAlive() && !reader.isAlive())) {
                throw new AssertionError("child did not print " + line + "; stderr: " + Files.readString(stderr));
            }
            Thread.sleep(5);
        }
    }

    /** Kills the child with SIGKILL and collects what it printed before it died. */
    void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Waits for the child to exit by itself; returns its exit code. */
    int waitFor(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child still running after " + timeout + "; stderr: " + Files.readString(stderr));
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        return process.exitValue();
    }

    /** The ids the child reported acknowledged, in order. */
    List<UUID> acks() {
        List<UUID> ids = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("ACK ") && line.length() == 40) {
                ids.add(UUID.fromString(line.substring(4)));
            }
        }
        return ids;
    }

    /** Every line the child printed. */
    List<String> lines() {
        return lines;
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill();
        }
    }
}
