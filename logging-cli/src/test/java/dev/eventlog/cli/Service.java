package dev.eventlog.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An {@code eventlog serve} child process on a free loopback port, and a client for it. */
final class Service {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
            .version(HttpClient.Version.HTTP_1_1).build();

    final CliProcess process;
    final int port;

    private Service(CliProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts {@code eventlog serve --listen 127.0.0.1:port args…} and waits until /health answers. */
    static Service start(Path dir, int port, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:" + port));
        all.addAll(List.of(args));
        CliProcess process = CliProcess.start(dir, List.of(), all.toArray(String[]::new));
        Service service = new Service(process, port);
        // A hang guard, not a timing: the JVM start on a loaded machine may take long.
        for (int i = 0; i < 1200; i++) {
            if (!process.alive()) {
                throw new AssertionError("eventlog serve ended at start: " + process.await());
            }
            try {
                HttpResponse<String> health = service.get("/health");
                if (health.statusCode() == 200) {
                    return service;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        process.kill();
        throw new AssertionError("eventlog serve did not answer /health in two minutes: " + process.errSoFar());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
