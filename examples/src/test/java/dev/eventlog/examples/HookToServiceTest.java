package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole shell path with real processes: {@code bin/eventlog-send} under {@code dash} against a
 * real {@code bin/eventlog serve} into a SQLite file — while the service runs, while it is stopped
 * (the inbox), and after it starts again (the inbox imported, exactly once).
 */
class HookToServiceTest {
    @TempDir
    Path dir;

    private Process service;

    @AfterEach
    void stopService() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void eventsSentWhileTheServiceRunsIsStoppedAndStartsAgainAreEachStoredOnce() throws Exception {
        Path db = dir.resolve("events.db");
        Path inbox = dir.resolve("inbox");
        int port = freePort();
        String url = "http://127.0.0.1:" + port;

        service = startService(db, inbox, port);
        List<Integer> upExits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            upExits.add(send(url, inbox, "tool_use", "--tool-name", "Edit", "--session-id", "s-up",
                    "--duration-ms", String.valueOf(i)));
        }
        long inboxWhileUp = jsonlFiles(inbox);

        service.destroy();                                   // SIGTERM: drains, commits, exits 0
        assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();
        int stopExit = service.exitValue();
        List<Integer> downExits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            downExits.add(send(url, inbox, "tool_use", "--tool-name", "Bash", "--session-id", "s-down",
                    "--duration-ms", String.valueOf(i)));
        }
        long inboxWhileDown = jsonlFiles(inbox);

        service = startService(db, inbox, port);             // imports the inbox before answering /health
        long inboxAfterRestart = waitForEmptyInbox(inbox);
        Set<String> sessions = new HashSet<>();
        long rows = 0;
        long distinctIds;
        service.destroy();
        assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("SELECT session_id FROM tool_events")) {
                while (result.next()) {
                    sessions.add(result.getString(1));
                    rows++;
                }
            }
            try (ResultSet result = statement.executeQuery("SELECT count(DISTINCT id) FROM tool_events")) {
                result.next();
                distinctIds = result.getLong(1);
            }
        }
        System.out.printf("[hook to service] sent up=%s (inbox %d), SIGTERM exit=%d, sent down=%s (inbox %d),"
                        + " inbox after restart=%d, rows=%d distinct ids=%d sessions=%s%n", upExits, inboxWhileUp,
                stopExit, downExits, inboxWhileDown, inboxAfterRestart, rows, distinctIds, sessions);
        assertThat(upExits).containsOnly(0);
        assertThat(inboxWhileUp).isZero();
        assertThat(stopExit).isZero();
        assertThat(downExits).containsOnly(0);
        assertThat(inboxWhileDown).isEqualTo(3);
        assertThat(inboxAfterRestart).isZero();
        assertThat(rows).isEqualTo(8);
        assertThat(distinctIds).isEqualTo(8);
        assertThat(sessions).containsExactlyInAnyOrder("s-up", "s-down");
    }

    /**
     * A service that hangs (SIGSTOP) holds the client no longer than {@code --max-time}; one
     * SIGKILLed while the client waits for its answer gives none: both events go to the inbox, and
     * the service started again stores each once, beside the one it answered before.
     */
    @Test
    void aServiceThatHangsOrIsKilledMidRequestLeavesTheEventInTheInboxAndItIsStoredOnceAfterARestart()
            throws Exception {
        Path db = dir.resolve("events.db");
        Path inbox = dir.resolve("inbox");
        int port = freePort();
        String url = "http://127.0.0.1:" + port;

        service = startService(db, inbox, port);
        int before = send(url, inbox, "--strict", "tool_use", "--tool-name", "Before");
        signal("STOP", service.pid());
        // The service takes the connection (the kernel does) but never answers: --max-time ends the wait.
        int hung = send(url, inbox, "--strict", "--max-time", "1", "tool_use", "--tool-name", "Hung");
        long inboxWhileHung = jsonlFiles(inbox);
        Process waiting = sendAsync(url, inbox, "--strict", "--max-time", "60", "tool_use", "--tool-name", "Killed");
        Thread.sleep(500);  // not a measure: killed before or after the client connects, the outcome is the same
        service.destroyForcibly();                           // SIGKILL, while stopped with the request unread
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting.waitFor(120, TimeUnit.SECONDS)).isTrue();
        int killed = waiting.exitValue();
        long inboxAfterKill = jsonlFiles(inbox);

        service = startService(db, inbox, port);             // imports the inbox before answering /health
        long inboxAfterRestart = waitForEmptyInbox(inbox);
        service.destroy();
        assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> tools = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT tool_name FROM tool_events ORDER BY tool_name")) {
            while (result.next()) {
                tools.add(result.getString(1));
            }
        }
        System.out.printf("[hung and killed] before exit %d; hung exit %d (inbox %d); killed mid-request exit %d "
                + "(inbox %d); inbox after restart %d; stored %s%n", before, hung, inboxWhileHung, killed,
                inboxAfterKill, inboxAfterRestart, tools);
        assertThat(before).isZero();
        assertThat(hung).isEqualTo(1);
        assertThat(inboxWhileHung).isEqualTo(1);
        assertThat(killed).isEqualTo(1);
        assertThat(inboxAfterKill).isEqualTo(2);
        assertThat(inboxAfterRestart).isZero();
        assertThat(tools).containsExactly("Before", "Hung", "Killed");
    }

    /**
     * A retried event is stored once: the client stamps the event before its first attempt, so the
     * request a paused service (SIGSTOP past {@code --max-time}) commits after it is resumed and the
     * copy the client kept in the inbox are the same line, hence the same id; a request sent again
     * is answered as a duplicate. Two events alike but for their time (sent one after the other)
     * stay two.
     */
    @Test
    void anEventCommittedAfterTheClientGaveUpAndKeptInTheInboxTooIsStoredOnceAndARetryIsADuplicate()
            throws Exception {
        Path db = dir.resolve("events.db");
        Path inbox = dir.resolve("inbox");
        int port = freePort();
        String url = "http://127.0.0.1:" + port;

        service = startService(db, inbox, port);
        int first = send(url, inbox, "--strict", "tool_use", "--tool-name", "Alike");
        int second = send(url, inbox, "--strict", "tool_use", "--tool-name", "Alike");
        signal("STOP", service.pid());
        int paused = send(url, inbox, "--strict", "--max-time", "1", "tool_use", "--tool-name", "Paused");
        List<Path> kept;
        try (Stream<Path> files = Files.list(inbox)) {
            kept = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList();
        }
        assertThat(kept).hasSize(1);
        String line = Files.readString(kept.get(0)).strip();
        signal("CONT", service.pid());
        long committedAfterResume = waitForRows(db, "Paused");   // the request it had accepted, read late
        HttpResponse<String> retry = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url + "/v1/events")).header("Content-Type", "application/x-ndjson")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(line + "\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        service.destroy();
        assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();

        service = startService(db, inbox, port);             // imports the inbox before answering /health
        long inboxAfterRestart = waitForEmptyInbox(inbox);
        service.destroy();
        assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();
        long pausedRows = rows(db, "Paused");
        long alikeRows = rows(db, "Alike");
        System.out.printf("[retry] alike exits %d %d; paused exit %d, inbox line %s; committed after resume %d; "
                + "retry %d %s; inbox after restart %d; stored Paused %d, Alike %d%n", first, second, paused, line,
                committedAfterResume, retry.statusCode(), retry.body(), inboxAfterRestart, pausedRows, alikeRows);
        assertThat(first).isZero();
        assertThat(second).isZero();
        assertThat(paused).isEqualTo(1);
        assertThat(line).matches("\\{\"kind\":\"tool_use\",\"ts\":\"[0-9T:.-]+Z\",\"tool_name\":\"Paused\"}");
        assertThat(committedAfterResume).isEqualTo(1);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).contains("\"duplicates\":1");
        assertThat(inboxAfterRestart).isZero();
        assertThat(pausedRows).isEqualTo(1);
        assertThat(alikeRows).isEqualTo(2);
    }

    @Test
    void fourLargestBodiesPostedAtOnceAreAllAnsweredAndStoredWithTheServiceDefaultHeap() throws Exception {
        Path db = dir.resolve("events.db");
        int port = freePort();
        service = startService(db, dir.resolve("inbox"), port);
        int bodies = 4;
        List<String> posted = new ArrayList<>();
        int lines = 0;
        for (int b = 0; b < bodies; b++) {
            StringBuilder body = new StringBuilder(8_000_000);
            for (int i = 0; body.length() < 7_900_000; i++) {
                body.append("{\"kind\":\"tool_use\",\"ts\":").append(1_700_000_000_000L + i)
                        .append(",\"tool_name\":\"Bash\",\"success\":true,\"body\":").append(b).append(",\"n\":")
                        .append(i).append(",\"note\":\"").append("x".repeat(40)).append("\"}\n");
                lines++;
            }
            posted.add(body.toString());
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (String body : posted) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                    .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        long accepted = 0;
        for (var answer : answers) {
            HttpResponse<String> response = answer.get(6, TimeUnit.MINUTES);
            statuses.add(response.statusCode());
            accepted += Long.parseLong(response.body().replaceAll("(?s).*\"accepted\":(\\d+).*", "$1"));
        }
        int health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        Path status = Path.of("/proc/" + service.pid() + "/status");
        String peak = !Files.isReadable(status) ? "no /proc" : Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM unknown");
        System.out.printf("[largest bodies] %d bodies of %d lines in all: statuses %s, accepted %d, health %d, %s%n",
                bodies, lines, statuses, accepted, health, peak);
        assertThat(statuses).containsOnly(200);
        assertThat(accepted).isEqualTo(lines);
        assertThat(health).isEqualTo(200);
    }

    private Process startService(Path db, Path inbox, int port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(EventlogSendTest.root().resolve("bin/eventlog").toString(),
                "serve", "--store", "sqlite:" + db, "--listen", "127.0.0.1:" + port, "--inbox", inbox.toString())
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("serve-" + System.nanoTime() + ".out").toFile())
                .redirectError(dir.resolve("serve-" + System.nanoTime() + ".err").toFile());
        Process process = builder.start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("eventlog serve exited early").isTrue();
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("eventlog serve did not become healthy on port " + port);
    }

    private int send(String url, Path inbox, String... args) throws Exception {
        Process process = sendAsync(url, inbox, args);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private Process sendAsync(String url, Path inbox, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("dash", EventlogSendTest.root().resolve("bin/eventlog-send")
                .toString(), "--url", url, "--inbox", inbox.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().remove("EVENTLOG_TOKEN_FILE");
        return builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static long waitForRows(Path db, String tool) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long found = rows(db, tool);
        while (found == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            found = rows(db, tool);
        }
        return found;
    }

    private static long rows(Path db, String tool) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM tool_events WHERE tool_name = ?")) {
            statement.setString(1, tool);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static long waitForEmptyInbox(Path inbox) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long left = jsonlFiles(inbox);
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = jsonlFiles(inbox);
        }
        return left;
    }

    private static long jsonlFiles(Path inbox) throws IOException {
        if (!Files.isDirectory(inbox)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).count();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
