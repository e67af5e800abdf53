package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/eventlog-send} as a real process under {@code dash}: with no service (the
 * inbox), with a small HTTP server standing in for the service, and with the inbox imported by
 * the real {@code bin/eventlog import}.
 */
class EventlogSendTest {
    @TempDir
    Path dir;

    /** A port nothing listens on: taken from the system, then closed. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void withTheServiceDownEachEventIsOneCompleteInboxFileAndTheHookIsNeverFailed() throws Exception {
        Path inbox = dir.resolve("inbox");
        String url = "http://127.0.0.1:" + freePort();

        Run plain = send(Map.of(), "--url", url, "--inbox", inbox.toString(), "git", "--repo", "app",
                "--commit-hash", "abc");
        Run strict = send(Map.of(), "--url", url, "--inbox", inbox.toString(), "--strict", "git", "--repo", "app",
                "--commit-hash", "def");
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Run lost = send(Map.of(), "--url", url, "--inbox", notADirectory.resolve("inbox").toString(), "--strict",
                "git", "--repo", "app");
        Run lostQuietly = send(Map.of(), "--url", url, "--inbox", notADirectory.resolve("inbox").toString(),
                "git", "--repo", "app");

        List<Path> files = inboxFiles(inbox);
        System.out.printf("exits: plain %d, strict %d, inbox unwritable strict %d / plain %d; inbox files %d%n",
                plain.code, strict.code, lost.code, lostQuietly.code, files.size());
        assertThat(plain.code).isZero();
        assertThat(plain.err.strip()).doesNotContain("\n").contains("was not reached").contains("kept in " + inbox);
        assertThat(strict.code).isEqualTo(1);
        assertThat(lost.code).isEqualTo(2);
        assertThat(lost.err.strip()).doesNotContain("\n").contains("the event is lost");
        assertThat(lostQuietly.code).isZero();
        assertThat(files).hasSize(2);
        assertThat(allNames(inbox)).noneMatch(name -> name.startsWith(".tmp-"));
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("{\"kind\":\"git\",\"ts\":\"").endsWith("}");
        }
    }

    @Test
    void twentyClientsAtOnceWithTheServiceDownLeaveTwentyWholeFilesAndNoTemporaryOnes() throws Exception {
        Path inbox = dir.resolve("inbox");
        String url = "http://127.0.0.1:" + freePort();
        List<Process> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(start(Map.of(), "--url", url, "--inbox", inbox.toString(), "--quiet", "deploy",
                    "--env", "prod", "--number", Integer.toString(i)));
        }
        int failed = 0;
        for (Process client : clients) {
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            failed += client.exitValue() == 0 ? 0 : 1;
        }

        List<Path> files = inboxFiles(inbox);
        List<String> numbers = new ArrayList<>();
        for (Path file : files) {
            String line = Files.readString(file);
            assertThat(line).endsWith("}\n");
            numbers.add(line.replaceAll(".*\"number\":\"(\\d+)\".*\\n", "$1"));
        }
        System.out.printf("20 clients: %d failed, %d inbox files, %d distinct events, names %s%n", failed,
                files.size(), numbers.stream().distinct().count(), allNames(inbox).size());
        assertThat(failed).isZero();
        assertThat(files).hasSize(20);
        assertThat(numbers).doesNotHaveDuplicates().hasSize(20);
        assertThat(allNames(inbox)).hasSize(20).noneMatch(name -> name.startsWith(".tmp-"));
    }

    @Test
    void anyBytesInFieldsAreStoredExactlyAfterTheInboxIsImportedAndInvalidUtf8BecomesReplacementCharacters()
            throws Exception {
        Path inbox = dir.resolve("inbox");
        String url = "http://127.0.0.1:" + freePort();
        // Built by the shell's printf, so the client receives these exact bytes as arguments.
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("quotes", "'she said \"hi\"'");
        cases.put("backslashes", "'C:\\path\\to\\ \\n not a newline'");
        cases.put("newlines", "\"$(printf 'line one\\nline two\\r\\nend')\"");
        cases.put("tabs", "\"$(printf 'a\\tb\\tc')\"");
        cases.put("controls", "\"$(printf 'x\\001\\002\\033[31m\\037\\177y')\"");
        cases.put("unicode", "\"$(printf 'caf\\303\\251 \\346\\227\\245\\346\\234\\254 \\360\\237\\230\\200 \\342\\200\\250')\"");
        cases.put("invalid", "\"$(printf 'a\\377b\\300\\200c\\355\\240\\200d\\342\\202')\"");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("quotes", "she said \"hi\"");
        expected.put("backslashes", "C:\\path\\to\\ \\n not a newline");
        expected.put("newlines", "line one\nline two\r\nend");
        expected.put("tabs", "a\tb\tc");
        expected.put("controls", "x\u0001\u0002\u001b[31m\u001f\u007fy");
        expected.put("unicode", "caf\u00e9 \u65e5\u672c \ud83d\ude00 \u2028");
        // Each byte that is no part of a valid sequence: one U+FFFD (C0 80 overlong, ED A0 80 a surrogate).
        expected.put("invalid", "a\ufffdb\ufffd\ufffdc\ufffd\ufffd\ufffdd\ufffd");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String script = "exec \"$SEND\" --url " + url + " --inbox '" + inbox + "' --quiet git --commit-hash "
                    + c.getKey() + " --message " + c.getValue();
            Run run = run(List.of("dash", "-c", script), Map.of("SEND", root().resolve("bin/eventlog-send").toString()));
            assertThat(run.code).as(c.getKey() + ": " + run.err).isZero();
        }
        // The --json - way: a payload with a raw tab and newline inside a string, and one beyond ASCII.
        Run json = run(List.of("dash", "-c", "printf '{\"commit_hash\": \"json\",\\n \"message\": "
                + "\"t\\tn\\\\n \\303\\251\\\\u00e9\", \"nested\": {\"a\": [1, \"}\"]}}' | exec \"$SEND\" --url "
                + url + " --inbox '" + inbox + "' --quiet git --json -"),
                Map.of("SEND", root().resolve("bin/eventlog-send").toString()));
        assertThat(json.code).as(json.err).isZero();
        expected.put("json", "t\tn\n \u00e9\u00e9");

        Path db = dir.resolve("events.db");
        Run imported = run(List.of(root().resolve("bin/eventlog").toString(), "import", "--to", "sqlite:" + db,
                "--kind", "git", "--no-progress", "--state-dir", dir.resolve("state").toString(), inbox.toString()),
                Map.of());
        Map<String, String> stored = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT commit_hash, message FROM git_events")) {
            while (rows.next()) {
                stored.put(rows.getString(1), rows.getString(2));
            }
        }
        System.out.printf("inbox files %d, import exit %d, stored %d events%n", inboxFiles(inbox).size(),
                imported.code, stored.size());
        assertThat(imported.code).as(imported.out + imported.err).isZero();
        assertThat(stored).hasSize(expected.size());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(stored.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void aServiceThatAnswers200GetsTheLineWithTheTokenAndAnythingElseSendsTheSameLineToTheInbox() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        int[] status = {200};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/events", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] answer = (status[0] == 200 ? "{\"accepted\": 1, \"duplicates\": 0, \"rejected\": []}"
                    : "{\"error\": \"shutting down\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status[0], answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            Path inbox = dir.resolve("inbox");
            Path token = Files.writeString(dir.resolve("token"), "s3cret-token\n");
            String url = "http://127.0.0.1:" + server.getAddress().getPort();

            Run sent = send(Map.of("EVENTLOG_TOKEN_FILE", token.toString()), "--url", url, "--inbox",
                    inbox.toString(), "--strict", "tool_use", "--tool-name", "Bash", "--success", "true");
            status[0] = 503;
            Run refused = send(Map.of(), "--url", url, "--inbox", inbox.toString(), "--strict", "tool_use",
                    "--tool-name", "Edit", "--success", "false");

            List<Path> files = inboxFiles(inbox);
            System.out.printf("200: exit %d, inbox files after it %d; 503: exit %d, note %s%n", sent.code,
                    files.size() - 1, refused.code, refused.err.strip());
            assertThat(sent.code).as(sent.err).isZero();
            assertThat(sent.err).isEmpty();
            assertThat(bodies.get(0)).startsWith("{\"kind\":\"tool_use\",\"ts\":\"")
                    .endsWith("\"tool_name\":\"Bash\",\"success\":\"true\"}\n");
            assertThat(authorizations.get(0)).isEqualTo("Bearer s3cret-token");
            assertThat(refused.code).isEqualTo(1);
            assertThat(refused.err).contains("answered 503").doesNotContain("s3cret");
            assertThat(files).hasSize(1);
            assertThat(Files.readString(files.get(0))).as("the inbox copy is the line sent").isEqualTo(bodies.get(1));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badUsageNeverFailsTheHookButStrictExitsTwoAndHelpListsEveryOption() throws Exception {
        Path inbox = dir.resolve("inbox");
        String url = "http://127.0.0.1:" + freePort();

        Run noKind = send(Map.of(), "--url", url, "--inbox", inbox.toString(), "--repo", "app");
        Run noValue = send(Map.of(), "--url", url, "--inbox", inbox.toString(), "--strict", "git", "--repo");
        Run notObject = run(List.of("dash", "-c", "echo '[1, 2]' | exec \"$SEND\" --url " + url + " --inbox '"
                + inbox + "' --strict --json -"), Map.of("SEND", root().resolve("bin/eventlog-send").toString()));
        Run help = send(Map.of(), "--help");

        System.out.printf("no KIND: exit %d; --repo without value, strict: exit %d; stdin not an object, strict: "
                + "exit %d; inbox files %d%n", noKind.code, noValue.code, notObject.code, inboxFiles(inbox).size());
        assertThat(noKind.code).isZero();
        assertThat(noKind.err.strip()).doesNotContain("\n").contains("KIND is missing");
        assertThat(noValue.code).isEqualTo(2);
        assertThat(noValue.err.strip()).doesNotContain("\n").contains("--repo was given no value");
        assertThat(notObject.code).isEqualTo(2);
        assertThat(notObject.err.strip()).doesNotContain("\n").contains("not a JSON object");
        assertThat(inboxFiles(inbox)).isEmpty();
        assertThat(help.code).isZero();
        assertThat(help.out).contains("--url", "--inbox", "--token-file", "--connect-timeout", "--max-time",
                "--strict", "--quiet", "--json", "U+FFFD", "Exit codes");
    }

    @Test
    void onAFullDiskTheInboxGetsNoPartialFileAndTheNoteSaysTheEventIsLost() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        Run mount = run(List.of("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString()), Map.of());
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.code == 0,
                "a full disk needs a small tmpfs, and mount was refused here: " + mount.err.strip());
        try {
            Path inbox = Files.createDirectories(disk.resolve("inbox"));
            Run fill = run(List.of("dd", "if=/dev/zero", "of=" + disk.resolve("fill"), "bs=4k"), Map.of());
            String url = "http://127.0.0.1:" + freePort();
            String big = "x".repeat(3000);

            Run strict = send(Map.of(), "--url", url, "--inbox", inbox.toString(), "--strict", "git", "--message",
                    big);
            Run plain = send(Map.of(), "--url", url, "--inbox", inbox.toString(), "git", "--message", big);

            System.out.printf("full disk (dd exit %d): strict exit %d, plain exit %d, files in the inbox %s%n",
                    fill.code, strict.code, plain.code, allNames(inbox));
            assertThat(strict.code).isEqualTo(2);
            assertThat(plain.code).isZero();
            assertThat(plain.err.strip()).doesNotContain("\n").contains("could not be written")
                    .contains("the event is lost");
            assertThat(allNames(inbox)).as("no partial event and no temporary file").isEmpty();
        } finally {
            run(List.of("umount", disk.toString()), Map.of());
        }
    }

    private static List<Path> inboxFiles(Path inbox) throws IOException {
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static List<String> allNames(Path inbox) throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private record Run(int code, String out, String err) {
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("dash", root().resolve("bin/eventlog-send").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().remove("EVENTLOG_TOKEN_FILE");
        builder.environment().putAll(env);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private Run send(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dash", root().resolve("bin/eventlog-send").toString()));
        command.addAll(List.of(args));
        return run(command, env);
    }

    private Run run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().remove("EVENTLOG_TOKEN_FILE");
        builder.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    /** The repository root: the directory above this module holding bin/eventlog-send. */
    static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bin/eventlog-send")) && Files.isDirectory(d.resolve("examples"))) {
                return d;
            }
        }
        throw new IllegalStateException("no bin/eventlog-send above " + Path.of("").toAbsolutePath());
    }
}
