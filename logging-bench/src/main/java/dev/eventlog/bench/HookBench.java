package dev.eventlog.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code -Dbench=hook}: the cost of one event from a shell hook, each a new process as a hook
 * runs it: {@code bin/eventlog-send} with the service down (the event goes to the inbox), a
 * Python {@code sqlite3} one-row insert, and {@code bin/eventlog log} (a JVM start). Uses
 * {@code hyperfine} when it is installed, else times the runs itself (median of the runs).
 * Needs the runnable jar ({@code mvn -B package -DskipTests}). Prints the table; asserts nothing.
 */
final class HookBench {
    private static final int RUNS = Integer.getInteger("bench.hookRuns", 20);

    private HookBench() {
    }

    static void run() throws Exception {
        Path root = root();
        Path work = Files.createTempDirectory("eventlog-hook-bench");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String send = "dash " + root.resolve("bin/eventlog-send") + " --quiet --url http://127.0.0.1:" + port
                + " --inbox " + work.resolve("inbox") + " tool_use --tool-name Bash --success true";
        String python = python() + " -c \"import sqlite3,time; c=sqlite3.connect('" + work.resolve("py.db") + "'); "
                + "c.execute('CREATE TABLE IF NOT EXISTS t(ts REAL, tool_name TEXT, success INTEGER)'); "
                + "c.execute('INSERT INTO t VALUES (?,?,?)', (time.time(), 'Bash', 1)); c.commit()\"";
        String log = root.resolve("bin/eventlog") + " log tool_use --tool-name Bash --success true --store sqlite:"
                + work.resolve("log.db");
        List<String> commands = List.of(send, python, log);
        System.out.printf(Locale.ROOT, "one event per process, %d runs each, service down (inbox)%n", RUNS);
        if (hyperfine()) {
            Path table = work.resolve("table.md");
            List<String> command = new ArrayList<>(List.of("hyperfine", "--warmup", "2", "--runs",
                    Integer.toString(RUNS), "--export-markdown", table.toString(), "--style", "basic"));
            command.addAll(commands);
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("hyperfine failed: " + String.join(" ", command));
            }
            System.out.println(Files.readString(table));
        } else {
            System.out.println("hyperfine is not installed (apt-get install hyperfine); timing the runs here");
            for (String c : commands) {
                long[] nanos = new long[RUNS];
                for (int i = 0; i < RUNS; i++) {
                    long start = System.nanoTime();
                    Process p = new ProcessBuilder("sh", "-c", c).inheritIO().start();
                    p.waitFor();
                    nanos[i] = System.nanoTime() - start;
                }
                Arrays.sort(nanos);
                System.out.printf(Locale.ROOT, "%10.1f ms median  %s%n", nanos[RUNS / 2] / 1e6, c);
            }
        }
        try (var files = Files.list(work.resolve("inbox"))) {
            System.out.printf(Locale.ROOT, "inbox files written: %d%n", files.count());
        }
    }

    /** The interpreter itself, not a version manager's shim in front of it (pyenv's costs ~300 ms). */
    private static String python() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        String path = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 && !path.isEmpty() ? path : "python3";
    }

    private static boolean hyperfine() {
        try {
            Process p = new ProcessBuilder("hyperfine", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bin/eventlog-send"))) {
                if (!Files.isRegularFile(d.resolve("logging-cli/target/eventlog.jar"))) {
                    throw new IllegalStateException("build the runnable jar first: mvn -B package -DskipTests");
                }
                return d;
            }
        }
        throw new IllegalStateException("no bin/eventlog-send above " + Path.of("").toAbsolutePath());
    }
}
