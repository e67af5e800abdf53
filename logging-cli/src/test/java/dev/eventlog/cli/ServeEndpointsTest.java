package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code eventlog serve} shows (stats, metrics, report) and how it behaves on a real full disk. */
class ServeEndpointsTest {
    @TempDir
    Path dir;

    private static String line(int n, int padding) {
        return "{\"kind\":\"tool_use\",\"ts\":1700000000000,\"tool_name\":\"Bash\",\"success\":true,\"n\":" + n
                + ",\"pad\":\"" + "x".repeat(padding) + "\"}";
    }

    @Test
    void statsMetricsAndTheReportShowWhatWasPosted() throws Exception {
        Path db = dir.resolve("events.db");
        Service service = Service.start(dir, Service.freePort(), "--store", "sqlite:" + db, "--inbox",
                dir.resolve("in").toString());
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            body.append(line(i, 1)).append('\n');
        }
        assertThat(service.post("/v1/events", body.toString()).body()).contains("\"accepted\":10");
        assertThat(service.post("/v1/events", "nope").statusCode()).isEqualTo(400);

        String stats = service.get("/stats").body();
        Cli.Result command = Cli.run("stats", "sqlite:" + db, "--format", "json");
        System.out.println(stats.length() + " characters of /stats; the command printed " + command.out().length());
        assertThat(stats.strip()).isEqualTo(command.out().strip());

        String metrics = service.get("/metrics").body();
        System.out.print(metrics.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n")));
        assertThat(metrics).contains("eventlog_serve_requests_total{status=\"200\"} ",
                "eventlog_serve_requests_total{status=\"400\"} 1", "eventlog_serve_events_accepted_total 10",
                "eventlog_serve_lines_rejected_total 1", "eventlog_serve_request_seconds{quantile=\"0.99\"}",
                "eventlog_serve_request_seconds_count");

        HttpResponse<String> report = service.get("/");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("html"));
        assertThat(report.body()).contains("<title>eventlog report</title>", "Bash");
        service.process.terminate();
        assertThat(service.process.await().exitCode()).isZero();
    }

    @Test
    void onAFullDiskRequestsGet503WithoutASpoolAndAreSpooledThenStoredWithOne() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("small-disk"));
        String refused = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString());
        Assumptions.assumeTrue(refused == null,
                () -> "skipped: cannot mount a 4 MiB tmpfs at " + disk + " (needs root): " + refused);
        try {
            Path db = disk.resolve("events.db");
            Path spool = dir.resolve("spool");
            int port = Service.freePort();
            Service noSpool = Service.start(dir, port, "--store", "sqlite:" + db, "--inbox",
                    dir.resolve("in").toString());
            List<Integer> acknowledged = new ArrayList<>();
            Path ballast = disk.resolve("ballast");
            fill(ballast);
            int status = 200;
            int n = 0;
            while (status == 200 && n < 400) {
                HttpResponse<String> answer = noSpool.post("/v1/events", line(n, 16_000));
                status = answer.statusCode();
                if (status == 200) {
                    acknowledged.add(n);
                } else {
                    System.out.println("full disk, no spool: " + status + " " + answer.body().strip());
                }
                n++;
            }
            assertThat(status).isEqualTo(503);
            HttpResponse<String> health = noSpool.get("/health");
            System.out.println("health: " + health.statusCode() + " " + health.body().strip());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"last_write_ok\":false", db.toString());
            // The full disk reaches SQLite as whichever of its files grows first: the WAL
            // (SQLITE_FULL) or the shared-memory index next to it (SQLITE_IOERR_SHMSIZE).
            assertThat(health.body()).containsAnyOf("SQLITE_FULL", "SQLITE_IOERR_SHMSIZE");
            assertThat(noSpool.post("/v1/events", line(n, 16_000)).statusCode()).isEqualTo(503);
            noSpool.process.terminate();
            assertThat(noSpool.process.await().exitCode()).isZero();

            Service withSpool = Service.start(dir, port, "--store", "sqlite:" + db, "--inbox",
                    dir.resolve("in").toString(), "--spool", spool.toString());
            int spooled = 0;
            for (int i = 0; i < 5; i++, n++) {
                HttpResponse<String> answer = withSpool.post("/v1/events", line(n, 16_000));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                acknowledged.add(n);
                spooled += answer.body().contains("\"spooled\":true") ? 1 : 0;
            }
            System.out.println("spooled while the disk was full: " + spooled + " of 5; spool files "
                    + Files.list(spool).count());
            assertThat(spooled).isPositive();
            Files.delete(ballast);
            for (int i = 0; i < 1200 && Files.list(spool).anyMatch(f -> f.toString().endsWith(".jsonl")); i++) {
                Thread.sleep(100);
            }
            withSpool.process.terminate();
            assertThat(withSpool.process.await().exitCode()).isZero();
            Set<Long> stored = numbers(db);
            System.out.println("acknowledged " + acknowledged.size() + ", stored " + stored.size());
            assertThat(stored).containsExactlyInAnyOrderElementsOf(
                    acknowledged.stream().map(Integer::longValue).toList());
        } finally {
            run("umount", disk.toString());
        }
    }

    private static void fill(Path ballast) {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            // The disk is full, which is the point.
            System.out.println("ballast until the disk was full: " + e.getMessage());
        }
    }

    private static Set<Long> numbers(Path db) {
        try (EventStore store = EventStores.open("sqlite:" + db, StoreOptions.READ);
                Stream<Event> events = store.read(EventQuery.of(EventKind.TOOL_USE))) {
            return events.map(e -> ((Number) e.envelope().attributes().get("n")).longValue())
                    .collect(Collectors.toSet());
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        return process.exitValue() == 0 ? null : output.strip();
    }
}
