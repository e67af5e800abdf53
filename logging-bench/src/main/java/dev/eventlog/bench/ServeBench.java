package dev.eventlog.bench;

import dev.eventlog.cli.serve.EventServer;
import dev.eventlog.cli.serve.EventSink;
import dev.eventlog.cli.serve.ServeSettings;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code -Dbench=serve}: {@code eventlog serve}'s service in this JVM on a loopback port into a
 * SQLite file, posted to by {@code java.net.http} clients: single-event requests per second and
 * NDJSON (1 000 events per request) events per second, with p50/p99 request latency; then the same
 * load against {@code bin/eventlog serve} started as a process of its own (its default heap), with
 * that process's peak resident memory (VmHWM). Printed, never asserted.
 */
final class ServeBench {
    private static final int CLIENTS = Integer.getInteger("serve.clients", 16);
    private static final long SECONDS = Long.getLong("serve.seconds", 10);

    private ServeBench() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("eventlog-serve-bench");
        Path db = dir.resolve("events.db");
        try (EventStore store = EventStores.open("sqlite:" + db, StoreOptions.DEFAULT)) {
            ServeSettings settings = new ServeSettings("sqlite:" + db, "127.0.0.1", 0, dir.resolve("inbox"), null,
                    null, null, 8L * 1024 * 1024, 30);
            Files.createDirectories(settings.inbox());
            EventServer server = new EventServer(settings, new EventSink(store, null), System.err);
            server.start();
            try {
                URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/events");
                System.out.printf(Locale.ROOT, "eventlog serve into SQLite over loopback, %d clients, %d s each, "
                        + "%d cores%n", CLIENTS, SECONDS, Runtime.getRuntime().availableProcessors());
                measure("warm-up", uri, 1, 2);
                measure("single event per request", uri, 1, SECONDS);
                measure("NDJSON, 1000 events per request", uri, 1000, SECONDS);
            } finally {
                server.stop();
            }
        }
        inAProcess(dir);
    }

    /** The same load against {@code bin/eventlog serve} as a process, and its peak resident memory. */
    private static void inAProcess(Path dir) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("bin/eventlog"))) {
            root = root.getParent();
        }
        if (root == null || !Files.isRegularFile(root.resolve("logging-cli/target/eventlog.jar"))) {
            System.out.println("bin/eventlog serve as a process: skipped (build the jar: mvn -B package -DskipTests)");
            return;
        }
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process service = new ProcessBuilder(root.resolve("bin/eventlog").toString(), "serve", "--store",
                "sqlite:" + dir.resolve("process.db"), "--listen", "127.0.0.1:" + port, "--inbox",
                dir.resolve("process-inbox").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve.log").toFile()).start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + "/v1/events");
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; ; i++) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    if (i > 1200 || !service.isAlive()) {
                        throw new IllegalStateException("bin/eventlog serve did not start: "
                                + Files.readString(dir.resolve("serve.log")), e);
                    }
                    Thread.sleep(100);
                }
            }
            System.out.printf(Locale.ROOT, "%nbin/eventlog serve as a process (its default JVM options), "
                    + "%d clients in this JVM%n", CLIENTS);
            measure("warm-up", uri, 1, 2);
            measure("single event per request", uri, 1, SECONDS);
            System.out.printf(Locale.ROOT, "%-34s peak RSS %s%n", "", HookBench.peakRss(service.pid()));
            measure("NDJSON, 1000 events per request", uri, 1000, SECONDS);
            System.out.printf(Locale.ROOT, "%-34s peak RSS %s%n", "", HookBench.peakRss(service.pid()));
        } finally {
            service.destroy();
            if (!service.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    private static void measure(String name, URI uri, int perRequest, long seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong sequence = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<long[]>> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                long[] latencies = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    StringBuilder body = new StringBuilder(perRequest * 120);
                    for (int i = 0; i < perRequest; i++) {
                        body.append("{\"kind\":\"tool_use\",\"ts\":").append(System.currentTimeMillis())
                                .append(",\"tool_name\":\"Bash\",\"success\":true,\"duration_ms\":12,\"n\":")
                                .append(sequence.getAndIncrement()).append("}\n");
                    }
                    long sent = System.nanoTime();
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException(answer.statusCode() + " " + answer.body());
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = System.nanoTime() - sent;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> client : clients) {
            all.add(client.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (name.equals("warm-up")) {
            return;
        }
        System.out.printf(Locale.ROOT, "%-34s %,10.0f requests/s %,12.0f events/s   p50 %6.2f ms   p99 %6.2f ms%n",
                name, merged.length / elapsed, merged.length * (double) perRequest / elapsed,
                merged[merged.length / 2] / 1e6, merged[Math.min(merged.length - 1, (int) (merged.length * 0.99))] / 1e6);
    }
}
