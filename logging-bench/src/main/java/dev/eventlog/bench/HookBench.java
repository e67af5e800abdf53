package dev.eventlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code -Dbench=hook}: the cost of one event from a shell hook, each a new process as a hook runs
 * it, until it has its answer: {@code bin/eventlog-send} started by its own first line ({@code
 * #!/bin/sh}, which hands it to bash) to a running {@code eventlog serve} (a process of its own on
 * a fresh SQLite file), the same client with the service down (the inbox), the copy whose first
 * line names bash (as the README's install line writes it), a bare {@code bash -c true}, a Python
 * {@code sqlite3} one-row insert, {@code bin/eventlog log} (a JVM start, with its
 * class-data archive) and the plain {@code java -jar eventlog.jar log} it replaced. Runs with
 * {@code hyperfine} (all times exported as JSON), prints p50 and p99 of each, the ratios against
 * the client with the service up, and the service's peak resident memory. {@code
 * -Dbench.hookBaseline=FILE[,FILE...]} adds other versions of the client beside it, {@code
 * -Dbench.hookLogBaseline=DIR} another build's {@code bin/eventlog log} (DIR holds its {@code bin/eventlog}
 * and {@code logging-cli/target/eventlog.jar}); the service's answer
 * alone (a request sent from this JVM) and the goals of the hook client are printed after the
 * table. Needs the runnable jar
 * ({@code mvn -B package -DskipTests}). Printed, never asserted.
 */
final class HookBench {
    private static final int RUNS = Integer.getInteger("bench.hookRuns", 300);
    private static final int JVM_RUNS = Integer.getInteger("bench.hookJvmRuns", 20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private HookBench() {
    }

    static void run() throws Exception {
        Path root = root();
        if (!hyperfine()) {
            throw new IllegalStateException("hyperfine is not installed: apt-get install -y hyperfine");
        }
        Path work = Files.createTempDirectory("eventlog-hook-bench");
        int port = freePort();
        int downPort = freePort();
        String eventlog = root.resolve("bin/eventlog").toString();
        Process service = new ProcessBuilder(eventlog, "serve", "--store", "sqlite:" + work.resolve("serve.db"),
                "--listen", "127.0.0.1:" + port, "--inbox", work.resolve("serve-inbox").toString())
                .redirectOutput(work.resolve("serve.out").toFile()).redirectError(work.resolve("serve.err").toFile())
                .start();
        try {
            awaitHealth(service, port, work);
            // As a hook runs it: the file started by its own first line (#!/bin/sh: sh hands it to bash).
            String args = " --quiet --inbox " + work.resolve("inbox") + " tool_use --tool-name Bash --success true "
                    + "--url http://127.0.0.1:";
            String client = root.resolve("bin/eventlog-send") + args;
            Map<String, String> quick = new LinkedHashMap<>();
            quick.put("eventlog-send, service up", client + port);
            quick.put("eventlog-send, service down (inbox)", client + downPort);
            Path bashCopy = bashFirstLineCopy(root.resolve("bin/eventlog-send"), work);
            if (bashCopy != null) {
                quick.put("eventlog-send, #!bash copy, service up", bashCopy + args + port);
            }
            // Other versions of the client (e.g. git show main:bin/eventlog-send > FILE), side by side.
            for (String baseline : System.getProperty("bench.hookBaseline", "").split(",")) {
                if (baseline.isBlank()) {
                    continue;
                }
                if (!Files.isExecutable(Path.of(baseline))) {
                    throw new IllegalStateException("bench.hookBaseline was '" + baseline + "' but it must be an "
                            + "executable file (chmod +x): it is started by its own first line, as a hook starts it");
                }
                quick.put("baseline " + Path.of(baseline).getFileName() + ", service up", baseline + args + port);
            }
            quick.put("bash -c true (a bare bash start)", "bash -c true");
            quick.put("python3 sqlite3 insert", python() + " -c \"import sqlite3,time; c=sqlite3.connect('"
                    + work.resolve("py.db") + "'); c.execute('CREATE TABLE IF NOT EXISTS t(ts REAL, tool_name TEXT, "
                    + "success INTEGER)'); c.execute('INSERT INTO t VALUES (?,?,?)', (time.time(), 'Bash', 1)); "
                    + "c.commit()\"");
            String log = " log tool_use --tool-name Bash --success true --store sqlite:" + work.resolve("log.db");
            Map<String, String> jvm = new LinkedHashMap<>();
            jvm.put("bin/eventlog log", "env EVENTLOG_CACHE_DIR=" + work.resolve("cache") + " " + eventlog + log);
            // Another build's launcher beside it (a directory with bin/eventlog and logging-cli/target/eventlog.jar).
            String logBaseline = System.getProperty("bench.hookLogBaseline", "");
            if (!logBaseline.isBlank()) {
                Path other = Path.of(logBaseline).toAbsolutePath();
                if (!Files.isExecutable(other.resolve("bin/eventlog"))
                        || !Files.isRegularFile(other.resolve("logging-cli/target/eventlog.jar"))) {
                    throw new IllegalStateException("bench.hookLogBaseline was '" + logBaseline + "' but it must be a "
                            + "directory with bin/eventlog and logging-cli/target/eventlog.jar");
                }
                jvm.put("baseline " + other.getFileName() + " bin/eventlog log", "env EVENTLOG_CACHE_DIR="
                        + work.resolve("cache-baseline") + " " + other.resolve("bin/eventlog") + log.replace("log.db",
                        "log-baseline.db"));
            }
            jvm.put("java -jar eventlog.jar log (no archive, C2)", "java -jar "
                    + root.resolve("logging-cli/target/eventlog.jar") + log);
            System.out.printf(Locale.ROOT, "one event per process until its answer; %d runs each (JVM starts %d), "
                    + "%d cores%n", RUNS, JVM_RUNS, Runtime.getRuntime().availableProcessors());
            Map<String, Percentiles> results = new LinkedHashMap<>();
            Map<String, Double> cpu = new LinkedHashMap<>();
            results.putAll(hyperfine(quick, RUNS, work.resolve("quick.json"), cpu));
            results.putAll(hyperfine(jvm, JVM_RUNS, work.resolve("jvm.json"), cpu));

            Percentiles alone = serviceAlone(port, RUNS);
            Percentiles reference = results.get("eventlog-send, service up");
            double referenceCpu = cpu.get("eventlog-send, service up");
            System.out.printf(Locale.ROOT, "%n%-44s %9s %9s %10s %10s %9s %10s%n", "", "p50 ms", "p99 ms",
                    "p50 ratio", "p99 ratio", "CPU ms", "CPU ratio");
            for (Map.Entry<String, Percentiles> r : results.entrySet()) {
                Percentiles p = r.getValue();
                double ms = cpu.get(r.getKey());
                System.out.printf(Locale.ROOT, "%-44s %9.1f %9.1f %9.1fx %9.1fx %9.1f %9.1fx%n", r.getKey(),
                        p.micros(0.5) / 1000, p.micros(0.99) / 1000, p.micros(0.5) / reference.micros(0.5),
                        p.micros(0.99) / reference.micros(0.99), ms, ms / referenceCpu);
            }
            System.out.println("(ratio: that command's over eventlog-send's with the service up; CPU: user + system "
                    + "time of the process and its children, mean per run)");
            System.out.printf(Locale.ROOT, "%-44s %9.1f %9.1f   (the service's answer alone: a new connection, one "
                    + "request, in this JVM, %d runs)%n", "service alone", alone.micros(0.5) / 1000,
                    alone.micros(0.99) / 1000, RUNS);
            Percentiles python = results.get("python3 sqlite3 insert");
            Percentiles jvmLog = results.get("bin/eventlog log");
            System.out.printf(Locale.ROOT, "goals: p50 %.1f ms (<= 10), p99 %.1f ms (<= 25), %.1fx Python at p50 "
                    + "(>= 10), %.1fx bin/eventlog log at p50 (>= 50)%n", reference.micros(0.5) / 1000,
                    reference.micros(0.99) / 1000, python.micros(0.5) / reference.micros(0.5),
                    jvmLog.micros(0.5) / reference.micros(0.5));
            Percentiles copy = results.get("eventlog-send, #!bash copy, service up");
            if (copy != null) {
                System.out.printf(Locale.ROOT, "goals, the #!bash copy (the README's install line): p50 %.1f ms, "
                        + "p99 %.1f ms, %.1fx Python at p50, %.1fx bin/eventlog log at p50%n", copy.micros(0.5) / 1000,
                        copy.micros(0.99) / 1000, python.micros(0.5) / copy.micros(0.5),
                        jvmLog.micros(0.5) / copy.micros(0.5));
            }
            HttpResponse<String> stats = get(port, "/metrics");
            String accepted = stats.body().lines().filter(l -> l.startsWith("eventlog_serve_events_accepted_total"))
                    .findFirst().orElse("(no events line in /metrics)");
            System.out.printf(Locale.ROOT, "service: %s; peak RSS %s%n", accepted, peakRss(service.pid()));
            try (var files = Files.list(work.resolve("inbox"))) {
                System.out.printf(Locale.ROOT, "inbox files written by the service-down runs: %d%n", files.count());
            }
        } finally {
            service.destroy();
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    /**
     * The copy of the client that the README's install line writes when bash is 4.4 or later: the
     * same file, its first line naming this machine's bash; {@code null} without such a bash.
     */
    private static Path bashFirstLineCopy(Path client, Path work) throws IOException, InterruptedException {
        Process which = new ProcessBuilder("sh", "-c", "b=$(command -v bash) && \"$b\" -c "
                + "'((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 404))' && printf %s \"$b\"").start();
        String bash = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (which.waitFor() != 0 || bash.isEmpty()) {
            System.out.println("no bash 4.4 or later on the PATH: the #!bash copy is not measured");
            return null;
        }
        String text = Files.readString(client, StandardCharsets.UTF_8);
        Path copy = work.resolve("eventlog-send-bash");
        Files.writeString(copy, "#!" + bash + text.substring(text.indexOf('\n')), StandardCharsets.UTF_8);
        if (!copy.toFile().setExecutable(true)) {
            throw new IllegalStateException(copy + " cannot be made executable");
        }
        return copy;
    }

    /** Runs {@code commands} with hyperfine and reads every run's time back from its JSON export. */
    private static Map<String, Percentiles> hyperfine(Map<String, String> commands, int runs, Path export,
            Map<String, Double> cpuMillis) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("hyperfine", "-N", "--warmup", "3", "--runs",
                Integer.toString(runs), "--export-json", export.toString(), "--style", "basic"));
        for (Map.Entry<String, String> c : commands.entrySet()) {
            command.add("--command-name");
            command.add(c.getKey());
            command.add(c.getValue());
        }
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("hyperfine failed: " + String.join(" ", command));
        }
        Map<String, Percentiles> results = new LinkedHashMap<>();
        for (JsonNode result : JSON.readTree(export.toFile()).get("results")) {
            JsonNode times = result.get("times");
            long[] nanos = new long[times.size()];
            for (int i = 0; i < nanos.length; i++) {
                nanos[i] = Math.round(times.get(i).asDouble() * 1e9);
            }
            results.put(result.get("command").asText(), new Percentiles(nanos, nanos.length));
            cpuMillis.put(result.get("command").asText(),
                    (result.get("user").asDouble() + result.get("system").asDouble()) * 1000);
        }
        return results;
    }

    /**
     * The service's side of one hook event: a new loopback connection, the request the client
     * sends ({@code Connection: close}), the answer read as far as its {@code Content-Length}, as
     * the client reads it; no process started. The share of an event's time that no client can save.
     */
    private static Percentiles serviceAlone(int port, int runs) throws IOException {
        byte[] line = "{\"kind\":\"tool_use\",\"tool_name\":\"Bash\",\"success\":\"true\"}\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = ("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: "
                + "application/x-ndjson\r\nContent-Length: " + line.length + "\r\nConnection: close\r\n\r\n"
                + new String(line, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        long[] nanos = new long[runs];
        for (int i = -3; i < runs; i++) {
            long start = System.nanoTime();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.getOutputStream().write(request);
                String answer = readAnswer(socket.getInputStream());
                if (!answer.startsWith("HTTP/1.1 200")) {
                    throw new IllegalStateException("the service answered: " + answer.lines().findFirst().orElse(""));
                }
            }
            if (i >= 0) {
                nanos[i] = System.nanoTime() - start;
            }
        }
        return new Percentiles(nanos, runs);
    }

    /** The status line and headers, then as many bytes of body as {@code Content-Length} says. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        int length = 0;
        for (String header : head.toString().split("\r\n")) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, "Content-Length:".length())) {
                length = Integer.parseInt(header.substring("Content-Length:".length()).strip());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    /** VmHWM of the process: the most resident memory it ever held. */
    static String peakRss(long pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        if (!Files.isReadable(status)) {
            return "(no /proc here)";
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.substring("VmHWM:".length()).strip()).findFirst().orElse("(no VmHWM)");
    }

    private static void awaitHealth(Process service, int port, Path work) throws Exception {
        for (int i = 0; i < 1200; i++) {
            if (!service.isAlive()) {
                throw new IllegalStateException("eventlog serve ended: " + Files.readString(work.resolve("serve.err")));
            }
            try {
                if (get(port, "/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("eventlog serve did not answer /health in two minutes");
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The interpreter itself, not a version manager's shim in front of it (pyenv's costs ~300 ms). */
    private static String python() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
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
