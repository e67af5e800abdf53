package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventlog serve} as a real child process, posted to over loopback, killed and stopped for real. */
class ServeTest {
    @TempDir
    Path dir;

    private static String gitLine(int n) {
        return "{\"kind\":\"git\",\"ts\":1700000000000,\"event_type\":\"commit\",\"repo\":\"app\",\"n\":" + n + "}";
    }

    private static Set<java.util.UUID> ids(Path db) {
        try (EventStore store = EventStores.open("sqlite:" + db, StoreOptions.READ);
                Stream<Event> events = store.read(EventQuery.of(EventKind.GIT))) {
            return events.map(Event::id).collect(Collectors.toSet());
        }
    }

    private static long rows(Path db) {
        try (EventStore store = EventStores.open("sqlite:" + db, StoreOptions.READ)) {
            return store.count(EventQuery.of(EventKind.GIT)).getOrDefault(EventKind.GIT, 0L);
        }
    }

    private static Set<Long> numbers(Path db) {
        try (EventStore store = EventStores.open("sqlite:" + db, StoreOptions.READ);
                Stream<Event> events = store.read(EventQuery.of(EventKind.GIT))) {
            return events.map(e -> ((Number) e.envelope().attributes().get("n")).longValue())
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void killedInTheMiddleOfConcurrentPostsKeepsEveryAcknowledgedEventAndRetriesStoreOnce() throws Exception {
        Path db = dir.resolve("events.db");
        int port = Service.freePort();
        Service service = Service.start(dir, port, "--store", "sqlite:" + db, "--inbox", dir.resolve("inbox").toString());
        int total = 400;
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Integer> unanswered = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            running.add(clients.submit(() -> {
                for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                    try {
                        HttpResponse<String> answer = service.post("/v1/events", gitLine(n));
                        if (answer.statusCode() == 200) {
                            acknowledged.add(n);
                        } else {
                            unanswered.add(n);
                        }
                    } catch (IOException e) {
                        unanswered.add(n);
                    }
                }
                return null;
            }));
        }
        while (acknowledged.size() < 100) {
            Thread.sleep(5);
        }
        service.process.kill();
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();
        Set<Integer> acknowledgedAtKill = Set.copyOf(acknowledged);
        System.out.printf("acknowledged before SIGKILL: %d, unanswered (retried): %d%n", acknowledgedAtKill.size(),
                unanswered.size());
        assertThat(unanswered).as("requests cut off by SIGKILL").isNotEmpty();

        Service again = Service.start(dir, port, "--store", "sqlite:" + db, "--inbox", dir.resolve("inbox").toString());
        int duplicates = 0;
        for (int n : unanswered) {
            HttpResponse<String> answer = again.post("/v1/events", gitLine(n));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            duplicates += answer.body().contains("\"duplicates\":1") ? 1 : 0;
        }
        // A retry of an acknowledged request stores nothing.
        int someAcknowledged = acknowledgedAtKill.iterator().next();
        assertThat(again.post("/v1/events", gitLine(someAcknowledged)).body())
                .contains("\"accepted\":0", "\"duplicates\":1");
        again.process.terminate();
        assertThat(again.process.await().exitCode()).isZero();

        Set<Long> stored = numbers(db);
        long rows = rows(db);
        System.out.printf("rows %d, distinct ids %d, distinct events %d, retries already stored %d%n", rows,
                ids(db).size(), stored.size(), duplicates);
        assertThat(stored).containsAll(acknowledgedAtKill.stream().map(Integer::longValue).toList());
        assertThat(rows).isEqualTo(total).isEqualTo(ids(db).size()).isEqualTo(stored.size());
    }

    @Test
    void inboxFilesAreImportedExactlyOnceBeforeWhileAndAcrossRestarts() throws Exception {
        Path db = dir.resolve("events.db");
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(inbox.resolve("a.jsonl"), gitLine(1) + "\n");
        Files.writeString(inbox.resolve("b.jsonl"), gitLine(2) + "\n" + gitLine(3) + "\n");
        Files.writeString(inbox.resolve("bad.jsonl"), gitLine(4) + "\n{\"kind\":\"nope\"}\nnot json\n");
        Files.writeString(inbox.resolve(".tmp-half"), "{\"kind\":\"git\",\"event_");
        int port = Service.freePort();
        Service service = Service.start(dir, port, "--store", "sqlite:" + db, "--inbox", inbox.toString());
        // Imported before the service answers /health.
        System.out.printf("rows after start: %d%n", rows(db));
        assertThat(rows(db)).isEqualTo(4);
        assertThat(inbox.resolve("a.jsonl")).doesNotExist();
        assertThat(inbox.resolve("rejected/bad.jsonl")).exists();
        String reason = Files.readString(inbox.resolve("rejected/bad.jsonl.reason"));
        System.out.print(reason);
        assertThat(reason).contains("line 2: unknown kind 'nope'").contains("line 3: not JSON");
        assertThat(inbox.resolve(".tmp-half")).exists();

        // A hook's write while the service runs: a dot-file renamed into place.
        Files.writeString(inbox.resolve(".tmp-c"), gitLine(5) + "\n");
        Files.move(inbox.resolve(".tmp-c"), inbox.resolve("c.jsonl"));
        waitUntilGone(inbox.resolve("c.jsonl"));
        assertThat(rows(db)).isEqualTo(5);

        // A crash between commit and delete leaves an imported file behind: put b back and restart.
        service.process.kill();
        service.process.await();
        Files.writeString(inbox.resolve("b.jsonl"), gitLine(2) + "\n" + gitLine(3) + "\n");
        Service again = Service.start(dir, port, "--store", "sqlite:" + db, "--inbox", inbox.toString());
        assertThat(inbox.resolve("b.jsonl")).doesNotExist();
        String health = again.get("/health").body();
        System.out.println(health);
        assertThat(health).contains("\"inbox_backlog\":0");
        again.process.terminate();
        assertThat(again.process.await().exitCode()).isZero();
        System.out.printf("rows after the re-import: %d%n", rows(db));
        assertThat(rows(db)).isEqualTo(5).isEqualTo(numbers(db).size());
    }

    private static void waitUntilGone(Path file) throws InterruptedException {
        // A hang guard of two minutes, not a timing assertion.
        for (int i = 0; i < 1200 && Files.exists(file); i++) {
            Thread.sleep(100);
        }
        assertThat(file).as("imported by the running service").doesNotExist();
    }

    @Test
    void badRequestsAreAnsweredAndTheServiceKeepsServing() throws Exception {
        Path db = dir.resolve("events.db");
        int port = Service.freePort();
        Service service = Service.start(dir, port, "--store", "sqlite:" + db, "--inbox", dir.resolve("in").toString(),
                "--max-body", "2000", "--request-timeout", "2");
        HttpResponse<String> notJson = service.post("/v1/events", "this is not json");
        HttpResponse<String> unknownKind = service.post("/v1/events", "{\"kind\":\"nope\",\"a\":1}");
        HttpResponse<String> unknownPath = service.post("/v1/events/nope", "{\"a\":1}");
        HttpResponse<String> mixed = service.post("/v1/events/git", "{\"ts\":1700000000,\"event_type\":\"commit\",\"repo\":\"a\"}\n"
                + "[1]\n");
        System.out.printf("not JSON %d %s; unknown kind %d %s; unknown path kind %d; mixed %d %s%n",
                notJson.statusCode(), notJson.body().strip(), unknownKind.statusCode(), unknownKind.body().strip(),
                unknownPath.statusCode(), mixed.statusCode(), mixed.body().strip());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"line\":1", "not JSON");
        assertThat(unknownKind.statusCode()).isEqualTo(400);
        assertThat(unknownKind.body()).contains("unknown kind 'nope'");
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(mixed.statusCode()).isEqualTo(200);
        assertThat(mixed.body()).contains("\"accepted\":1", "\"line\":2");
        assertThat(service.get("/v1/events").statusCode()).isEqualTo(405);
        assertThat(service.get("/nothing").statusCode()).isEqualTo(404);

        int tooLarge;
        try {
            tooLarge = service.post("/v1/events", gitLine(1) + " ".repeat(3000)).statusCode();
        } catch (IOException e) {
            throw new AssertionError("the 413 answer did not arrive", e);
        }
        System.out.printf("over --max-body: %d%n", tooLarge);
        assertThat(tooLarge).isEqualTo(413);

        try (Socket slow = new Socket("127.0.0.1", port)) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"kind\":").getBytes(
                    StandardCharsets.US_ASCII));
            out.flush();
            // Others are served while the slow body hangs.
            HttpResponse<String> meanwhile = service.post("/v1/events", gitLine(2));
            assertThat(meanwhile.statusCode()).isEqualTo(200);
            slow.setSoTimeout(120_000);
            InputStream in = slow.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the server kept the slow request open for two minutes", e);
            } catch (IOException e) {
                first = -1;
            }
            String answer = first < 0 ? "" : (char) first + new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            System.out.printf("the slow client was cut off: %s%n", answer.isEmpty() ? "closed" : answer.lines()
                    .findFirst().orElse(""));
            assertThat(answer).doesNotContain(" 200 ");
        }
        assertThat(service.get("/health").statusCode()).isEqualTo(200);
        assertThat(service.post("/v1/events", gitLine(3)).statusCode()).isEqualTo(200);
        service.process.terminate();
        assertThat(service.process.await().exitCode()).isZero();
        assertThat(rows(db)).isEqualTo(3);
    }

    @Test
    void aRemoteAddressNeedsATokenAndEveryRequestCarriesIt() throws Exception {
        Path db = dir.resolve("events.db");
        int port = Service.freePort();
        Cli.Result refused = CliProcess.run(dir, List.of(), "serve", "--store", "sqlite:" + db, "--listen",
                "0.0.0.0:" + port);
        System.out.printf("exit %d: %s", refused.exitCode(), refused.err());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err()).contains("--allow-remote").doesNotContain("Exception");

        Path tokenFile = Files.writeString(dir.resolve("token"), "s3cret-token\n");
        Cli.Result config = CliProcess.run(dir, List.of(), "serve", "--store", "sqlite:" + db, "--listen",
                "0.0.0.0:" + port, "--allow-remote", "--token-file", tokenFile.toString(), "--print-config");
        System.out.print(config.out());
        assertThat(config.exitCode()).isZero();
        assertThat(config.out()).contains("\"auth\" : \"bearer\"").doesNotContain("s3cret");

        List<String> all = List.of("serve", "--listen", "0.0.0.0:" + port, "--allow-remote", "--token-file",
                tokenFile.toString(), "--store", "sqlite:" + db, "--inbox", dir.resolve("in").toString());
        CliProcess process = CliProcess.start(dir, List.of(), all.toArray(String[]::new));
        int beforeStart = 0;
        // Waits (a hang guard, not a timing) until the service answers; /health too needs the token.
        for (int i = 0; i < 1200; i++) {
            try {
                HttpResponse<String> health = Service.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(401);
                break;
            } catch (IOException e) {
                beforeStart++;
                Thread.sleep(100);
            }
        }
        assertThat(process.alive()).as("the service runs after %d refused connections", beforeStart).isTrue();
        HttpResponse<String> without = Service.HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/v1/events"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(gitLine(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> with = Service.HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/v1/events"))
                .header("Authorization", "Bearer s3cret-token")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(gitLine(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.printf("without the token %d, with it %d%n", without.statusCode(), with.statusCode());
        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(with.statusCode()).isEqualTo(200);
        process.terminate();
        Cli.Result stopped = process.await();
        assertThat(stopped.exitCode()).isZero();
        assertThat(stopped.err()).doesNotContain("s3cret");
        assertThat(rows(db)).isEqualTo(1);
    }

    @Test
    void sigtermAnswersRequestsInFlightThenExitsZeroWithTheStoreConsistent() throws Exception {
        Path db = dir.resolve("events.db");
        int port = Service.freePort();
        Service service = Service.start(dir, port, "--store", "sqlite:" + db, "--inbox", dir.resolve("in").toString());
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> requests = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                body.append(gitLine(r * 10_000 + i)).append('\n');
            }
            requests.add(clients.submit(() -> service.post("/v1/events", body.toString())));
        }
        HttpResponse<String> first = requests.get(0).get();
        service.process.terminate();
        int answered = 0;
        int refused = 0;
        long accepted = 0;
        for (Future<HttpResponse<String>> request : requests) {
            try {
                HttpResponse<String> answer = request.get();
                assertThat(answer.statusCode()).as(answer.body()).isIn(200, 503);
                if (answer.statusCode() == 200) {
                    answered++;
                    accepted += 2000;
                    assertThat(answer.body()).contains("\"accepted\":2000");
                } else {
                    refused++;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // Connection refused: the request came after the listener closed; nothing was acknowledged.
                refused++;
            }
        }
        clients.shutdown();
        Cli.Result stopped = service.process.await();
        System.out.printf("first %d; answered 200: %d, refused: %d, exit %d, rows %d%n", first.statusCode(),
                answered, refused, stopped.exitCode(), rows(db));
        assertThat(stopped.exitCode()).isZero();
        assertThat(stopped.err()).contains("stopped");
        assertThat(rows(db)).isEqualTo(accepted);
    }
}
