package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/eventlog-send} as a real process started by {@code dash} (which hands it to
 * bash when bash is on the PATH, or runs it itself): with no service (the inbox), with a real
 * {@code bin/eventlog serve} (and a token), and with the inbox imported by the real {@code
 * bin/eventlog import}.
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
    void aRunningServiceStoresTheEventStampedAtReceiptWithTheTokenAndARefusalSendsTheSameEventToTheInbox()
            throws Exception {
        Path inbox = dir.resolve("inbox");
        Path token = Files.writeString(dir.resolve("token"), "s3cret-token\n");
        Path wrong = Files.writeString(dir.resolve("wrong-token"), "not-the-token\r\n");
        Path db = dir.resolve("served.db");
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        Process service = startService("--store", "sqlite:" + db, "--listen", "127.0.0.1:" + port, "--inbox",
                dir.resolve("service-inbox").toString(), "--token-file", token.toString());
        Run sent;
        Run refused;
        Run json;
        Run twoObjects;
        Run trailing;
        long before;
        long after;
        try {
            before = System.currentTimeMillis();
            sent = send(Map.of("EVENTLOG_TOKEN_FILE", token.toString()), "--url", url, "--inbox", inbox.toString(),
                    "--strict", "--print", "tool_use", "--tool-name", "Bash", "--success", "true");
            after = System.currentTimeMillis();
            refused = send(Map.of("EVENTLOG_TOKEN_FILE", wrong.toString()), "--url", url, "--inbox",
                    inbox.toString(), "--strict", "tool_use", "--tool-name", "Edit", "--success", "false");
            json = pipe("{\"tool_name\": \"Read\", \"success\": true, \"note\": \"say \\\"hi\\\"\"}", url, inbox,
                    token, "--strict", "tool_use", "--json", "-");
            twoObjects = pipe("{\"tool_name\": \"Grep\"} {\"tool_name\": \"Glob\"}", url, inbox, token,
                    "--strict", "tool_use", "--json", "-");
            trailing = pipe("{\"tool_name\": \"Grep\"} and more", url, inbox, token, "--strict", "tool_use",
                    "--json", "-");
        } finally {
            service.destroy();
            assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        Map<String, long[]> stored = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT tool_name, success, ts FROM tool_events")) {
            while (rows.next()) {
                stored.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
            }
        }
        List<Path> files = inboxFiles(inbox);
        System.out.printf("sent: exit %d, line %s; wrong token: exit %d, note %s; --json: exit %d; two objects: "
                + "exit %d, %s; trailing text: exit %d; stored %s; inbox files %d%n", sent.code, sent.out.strip(),
                refused.code, refused.err.strip(), json.code, twoObjects.code, twoObjects.err.strip(), trailing.code,
                stored.keySet(), files.size());
        assertThat(sent.code).as(sent.err).isZero();
        assertThat(sent.err).isEmpty();
        assertThat(sent.out.strip()).as("the client stamps the event before the first attempt (curl's path: date)")
                .matches("\\{\"kind\":\"tool_use\",\"ts\":\"[0-9-]+T[0-9:]+(\\.[0-9]{6})?Z\",\"tool_name\":\"Bash\","
                        + "\"success\":\"true\"}");
        assertThat(stored).containsOnlyKeys("Bash", "Read");
        assertThat(stored.get("Bash")[0]).isEqualTo(1);
        assertThat(stored.get("Bash")[1]).as("stamped when sent").isBetween(before, after);
        assertThat(json.code).as(json.err).isZero();
        assertThat(refused.code).isEqualTo(1);
        assertThat(refused.err.strip()).doesNotContain("\n").contains("answered 401").doesNotContain("s3cret")
                .doesNotContain("not-the-token");
        assertThat(twoObjects.code).isEqualTo(2);
        assertThat(twoObjects.err.strip()).doesNotContain("\n").contains("text after the JSON object");
        assertThat(trailing.code).isEqualTo(2);
        assertThat(trailing.err.strip()).doesNotContain("\n").contains("text after the JSON object");
        assertThat(files).hasSize(1);
        assertThat(Files.readString(files.get(0))).as("the refused event, with its time, in the inbox")
                .matches("\\{\"kind\":\"tool_use\",\"ts\":\"[0-9T:.-]+Z\",\"tool_name\":\"Edit\","
                        + "\"success\":\"false\"}\n");
    }

    /**
     * The fast path: to a service on loopback without a token, bash sends the event over its
     * /dev/tcp. The client runs with a PATH that holds bash and the encoder's tools but no curl, so
     * every event stored here went that way: each once, its text exactly as given; a refusal
     * (404, 400, 413) sends the event to the inbox, as curl's path does.
     */
    @Test
    void withoutCurlOnThePathBashSendsEachEventOnceAndAnyBytesExactlyAndARefusalGoesToTheInbox()
            throws Exception {
        Path inbox = dir.resolve("inbox");
        Path db = dir.resolve("fast.db");
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        Map<String, String> env = Map.of("PATH", toolsPath("bash", "od", "awk", "cat", "date", "mkdir", "mktemp", "mv",
                "rm").toString(), "SEND", root().resolve("bin/eventlog-send").toString());
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("quotes", "'she said \"hi\"'");
        cases.put("backslashes", "'C:\\path\\to\\ \\n not a newline'");
        cases.put("newlines", "\"$(printf 'line one\\nline two\\r\\nend')\"");
        cases.put("controls", "\"$(printf 'x\\001\\002\\033[31m\\037\\177y')\"");
        cases.put("unicode", "\"$(printf 'caf\\303\\251 \\346\\227\\245\\346\\234\\254 \\360\\237\\230\\200')\"");
        cases.put("invalid", "\"$(printf 'a\\377b\\300\\200c')\"");
        cases.put("crlf-blank", "\"$(printf 'HTTP/1.1 200 OK\\r\\n\\r\\nnot an answer')\"");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("quotes", "she said \"hi\"");
        expected.put("backslashes", "C:\\path\\to\\ \\n not a newline");
        expected.put("newlines", "line one\nline two\r\nend");
        expected.put("controls", "x\u0001\u0002\u001b[31m\u001f\u007fy");
        expected.put("unicode", "caf\u00e9 \u65e5\u672c \ud83d\ude00");
        expected.put("invalid", "a\ufffdb\ufffd\ufffdc");
        expected.put("crlf-blank", "HTTP/1.1 200 OK\r\n\r\nnot an answer");
        Process service = startService("--store", "sqlite:" + db, "--listen", "127.0.0.1:" + port, "--inbox",
                dir.resolve("service-inbox").toString(), "--max-body", "2000");
        List<Run> sent = new ArrayList<>();
        Run json;
        Run notFound;
        Run noKind;
        Run tooLarge;
        try {
            for (Map.Entry<String, String> c : cases.entrySet()) {
                sent.add(run(List.of("dash", "-c", "exec \"$SEND\" --url " + url + " --inbox '" + inbox
                        + "' --strict git --commit-hash " + c.getKey() + " --message " + c.getValue()), env));
            }
            json = run(List.of("dash", "-c", "printf '{\"commit_hash\": \"json\", \"message\": \"t\\tn\\\\n "
                    + "\\303\\251\"}' | exec \"$SEND\" --url " + url + "/ --inbox '" + inbox + "' --strict git --json -"),
                    env);
            expected.put("json", "t\tn\n \u00e9");
            notFound = run(List.of("dash", "-c", "exec \"$SEND\" --url " + url + "/nowhere --inbox '" + inbox
                    + "' --strict git --commit-hash not-found"), env);
            noKind = run(List.of("dash", "-c", "echo '{\"commit_hash\": \"no-kind\"}' | exec \"$SEND\" --url " + url
                    + " --inbox '" + inbox + "' --strict --json -"), env);
            tooLarge = run(List.of("dash", "-c", "exec \"$SEND\" --url " + url + " --inbox '" + inbox
                    + "' --strict git --commit-hash too-large --message " + "x".repeat(3000)), env);
        } finally {
            service.destroy();
            assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        Map<String, String> stored = new LinkedHashMap<>();
        long rows = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT commit_hash, message FROM git_events")) {
            while (result.next()) {
                stored.put(result.getString(1), result.getString(2));
                rows++;
            }
        }
        List<String> inInbox = new ArrayList<>();
        for (Path file : inboxFiles(inbox)) {
            inInbox.add(Files.readString(file).replaceAll("(?s).*\"commit_hash\": ?\"([a-z-]+)\".*", "$1"));
        }
        System.out.printf("fast path, no curl: exits %s, json %d; stored %d rows %s; 404 exit %d (%s); no kind "
                + "exit %d; too large exit %d (%s); inbox %s%n", sent.stream().map(Run::code).toList(), json.code, rows,
                stored.keySet(), notFound.code, notFound.err.strip(), noKind.code, tooLarge.code, tooLarge.err.strip(),
                inInbox);
        for (Run run : sent) {
            assertThat(run.code).as(run.err).isZero();
            assertThat(run.err).isEmpty();
        }
        assertThat(json.code).as(json.err).isZero();
        assertThat(rows).as("each event stored once").isEqualTo(expected.size());
        assertThat(stored).hasSize(expected.size());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(stored.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(notFound.code).isEqualTo(1);
        assertThat(notFound.err.strip()).doesNotContain("\n").contains("answered 404");
        assertThat(noKind.code).isEqualTo(1);
        assertThat(noKind.err.strip()).doesNotContain("\n").contains("answered 400");
        assertThat(tooLarge.code).isEqualTo(1);
        assertThat(tooLarge.err.strip()).doesNotContain("\n").contains("the event is kept in");
        assertThat(inInbox).containsExactlyInAnyOrder("not-found", "no-kind", "too-large");
    }

    @Test
    void withoutBashOnThePathCurlSendsTheEventAndWithTheServiceDownItGoesToTheInbox() throws Exception {
        Path inbox = dir.resolve("inbox");
        Path db = dir.resolve("curl.db");
        int port = freePort();
        Map<String, String> env = Map.of("PATH", toolsPath("curl", "od", "awk", "cat", "date", "mkdir", "mktemp",
                "mv", "rm").toString());
        Process service = startService("--store", "sqlite:" + db, "--listen", "127.0.0.1:" + port, "--inbox",
                dir.resolve("service-inbox").toString());
        Run sent;
        try {
            sent = send(env, "--url", "http://127.0.0.1:" + port, "--inbox", inbox.toString(), "--strict",
                    "git", "--commit-hash", "by-curl", "--message", "caf\u00e9");
        } finally {
            service.destroy();
            assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        Run down = send(env, "--url", "http://127.0.0.1:" + port, "--inbox", inbox.toString(), "--strict", "git",
                "--commit-hash", "down");
        List<String> stored = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT commit_hash, message FROM git_events")) {
            while (result.next()) {
                stored.add(result.getString(1) + "=" + result.getString(2));
            }
        }
        System.out.printf("no bash: sent exit %d %s, stored %s; service down exit %d, note %s%n", sent.code,
                sent.err.strip(), stored, down.code, down.err.strip());
        assertThat(sent.code).as(sent.err).isZero();
        assertThat(stored).containsExactly("by-curl=caf\u00e9");
        assertThat(down.code).isEqualTo(1);
        assertThat(down.err.strip()).doesNotContain("\n").contains("was not reached").contains("Failed to connect");
        assertThat(inboxFiles(inbox)).hasSize(1);
    }

    /**
     * The client as a hook starts it: the file run by its first line ({@code #!/bin/sh}, dash
     * here), with bash the only command on the PATH. sh hands the script to bash, which sends the
     * event in its own process: no curl, no date (the time from {@code $EPOCHREALTIME}, turned into
     * a UTC date by arithmetic), no cat for {@code --json -}. The README's install line, run in a
     * fresh home, writes a copy whose first line names this bash, and that copy sends the same way.
     */
    @Test
    void runByItsFirstLineWithOnlyBashOnThePathTheEventIsSentAndStampedInBashAlone() throws Exception {
        Path db = dir.resolve("bash-only.db");
        Path inbox = dir.resolve("inbox");
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("bin"));
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        Map<String, String> onlyBash = Map.of("PATH", toolsPath("bash").toString());
        String bash = run(List.of("sh", "-c", "command -v bash"), Map.of()).out.strip();
        Run install = run(List.of("sh", "-c", "cd \"$ROOT\" && " + readmeInstallLine()),
                Map.of("HOME", home.toString(), "ROOT", root().toString()));
        Path copy = home.resolve("bin/eventlog-send");
        Process service = startService("--store", "sqlite:" + db, "--listen", "127.0.0.1:" + port, "--inbox",
                dir.resolve("service-inbox").toString());
        Run sent;
        Run sentByCopy;
        Run json;
        long before;
        long after;
        try {
            before = System.currentTimeMillis();
            sent = run(List.of(root().resolve("bin/eventlog-send").toString(), "--url", url, "--inbox",
                    inbox.toString(), "--strict", "--print", "tool_use", "--tool-name", "Bash", "--session-id",
                    "by-sh"), onlyBash);
            sentByCopy = run(List.of(copy.toString(), "--url", url, "--inbox", inbox.toString(), "--strict",
                    "--print", "tool_use", "--tool-name", "Edit", "--session-id", "by-copy"), onlyBash);
            Path payload = Files.writeString(dir.resolve("payload.json"),
                    "{\"tool_name\": \"Read\", \"session_id\": \"by-json\"}\n");
            json = run(List.of("/bin/sh", "-c", "exec \"$SEND\" --url " + url + " --inbox '" + inbox
                    + "' --strict tool_use --json - <'" + payload + "'"), Map.of("PATH", onlyBash.get("PATH"),
                    "SEND", root().resolve("bin/eventlog-send").toString()));
            after = System.currentTimeMillis();
        } finally {
            service.destroy();
            assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        Map<String, long[]> stored = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT session_id, ts FROM tool_events")) {
            while (rows.next()) {
                stored.put(rows.getString(1), new long[] {rows.getLong(2)});
            }
        }
        String firstLine = Files.readAllLines(copy).get(0);
        System.out.printf("PATH=bash only: sh-started exit %d, line %s; install exit %d, copy's first line %s, "
                + "copy exit %d; --json - exit %d; stored %s; inbox files %d%n", sent.code, sent.out.strip(),
                install.code, firstLine, sentByCopy.code, json.code, stored.keySet(), inboxFiles(inbox).size());
        assertThat(install.code).as(install.err).isZero();
        assertThat(Files.isSymbolicLink(copy)).isFalse();
        assertThat(Files.isExecutable(copy)).isTrue();
        assertThat(firstLine).isEqualTo("#!" + bash);
        for (Run run : List.of(sent, sentByCopy)) {
            assertThat(run.code).as(run.err).isZero();
            assertThat(run.err).as("no note: sent, by bash alone").isEmpty();
            assertThat(run.out.strip()).matches("\\{\"kind\":\"tool_use\",\"ts\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T"
                    + "[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z\",\"tool_name\":\"[A-Za-z]+\","
                    + "\"session_id\":\"by-[a-z]+\"}");
        }
        assertThat(json.code).as("--json - read by bash itself, no cat: " + json.err).isZero();
        assertThat(json.err).isEmpty();
        assertThat(stored).containsOnlyKeys("by-sh", "by-copy", "by-json");
        for (long[] row : stored.values()) {
            assertThat(row[0]).as("the client's own UTC time, from the clock").isBetween(before, after);
        }
        assertThat(inboxFiles(inbox)).isEmpty();
    }

    /**
     * A bash older than 4.4 (macOS ships 3.2) is no use to the fast path: sh still hands the
     * script to it, once, and it runs the portable part, where curl sends the event. The 'bash'
     * on this PATH is the real one told it is 3.2 (BASH_VERSION set before the script is read).
     * With the service down, the event goes to the inbox as before.
     */
    @Test
    void aBashThatReportsVersionThreeRunsThePortablePathAndCurlSendsTheEvent() throws Exception {
        Path inbox = dir.resolve("inbox");
        Path db = dir.resolve("old-bash.db");
        Path tools = toolsPath("curl", "od", "awk", "cat", "date", "mkdir", "mktemp", "mv", "rm");
        String realBash = run(List.of("sh", "-c", "command -v bash"), Map.of()).out.strip();
        Path starts = dir.resolve("bash-starts");
        Path oldBash = tools.resolve("bash");
        Files.writeString(oldBash, "#!/bin/sh\necho started >>'" + starts + "'\nexec '" + realBash
                + "' -c 'BASH_VERSION=\"3.2.57(1)-release\"; . \"$0\"' \"$@\"\n");
        assertThat(oldBash.toFile().setExecutable(true)).isTrue();
        Map<String, String> env = Map.of("PATH", tools.toString());
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        Process service = startService("--store", "sqlite:" + db, "--listen", "127.0.0.1:" + port, "--inbox",
                dir.resolve("service-inbox").toString());
        Run sent;
        try {
            sent = run(List.of(root().resolve("bin/eventlog-send").toString(), "--url", url, "--inbox",
                    inbox.toString(), "--strict", "git", "--commit-hash", "old-bash", "--message", "caf\u00e9"), env);
        } finally {
            service.destroy();
            assertThat(service.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        Run down = run(List.of(root().resolve("bin/eventlog-send").toString(), "--url", url, "--inbox",
                inbox.toString(), "--strict", "git", "--commit-hash", "down"), env);
        List<String> stored = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT commit_hash, message FROM git_events")) {
            while (result.next()) {
                stored.add(result.getString(1) + "=" + result.getString(2));
            }
        }
        List<String> bashStarts = Files.readAllLines(starts);
        System.out.printf("bash 3.2: sent exit %d %s, stored %s; bash started %d times for 2 events; service "
                + "down exit %d, note %s%n", sent.code, sent.err.strip(), stored, bashStarts.size(), down.code,
                down.err.strip());
        assertThat(sent.code).as(sent.err).isZero();
        assertThat(sent.err).isEmpty();
        assertThat(stored).containsExactly("old-bash=caf\u00e9");
        assertThat(bashStarts).as("started once per event, never by itself again").hasSize(2);
        assertThat(down.code).isEqualTo(1);
        assertThat(down.err.strip()).doesNotContain("\n").contains("was not reached").contains("Failed to connect");
        assertThat(inboxFiles(inbox)).hasSize(1);
    }

    /** The README's line that installs the client into ~/bin (the sh block that writes ~/bin/eventlog-send). */
    private static String readmeInstallLine() throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        int at = readme.indexOf("sed \"1s|.*|#!$b|\" bin/eventlog-send");
        assertThat(at).as("the install line in the README").isPositive();
        int start = readme.lastIndexOf("```sh\n", at) + "```sh\n".length();
        return readme.substring(start, readme.indexOf("```", at));
    }

    /** A folder of links to these commands (found on this machine's PATH), to be a client's whole PATH. */
    private Path toolsPath(String... commands) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin-" + String.join("-", commands).hashCode()));
        for (String command : commands) {
            Run which = run(List.of("sh", "-c", "command -v " + command), Map.of());
            assertThat(which.code).as(command + " is needed on this machine").isZero();
            Files.createSymbolicLink(bin.resolve(command), Path.of(which.out.strip()));
        }
        return bin;
    }

    /** {@code printf '%s' PAYLOAD | eventlog-send --url URL --inbox INBOX ARGS…} under dash, with a token file. */
    private Run pipe(String payload, String url, Path inbox, Path token, String... args) throws Exception {
        StringBuilder script = new StringBuilder("printf '%s' \"$PAYLOAD\" | exec \"$SEND\" --url " + url
                + " --inbox '" + inbox + "'");
        for (String arg : args) {
            script.append(' ').append(arg);
        }
        return run(List.of("dash", "-c", script.toString()), Map.of("PAYLOAD", payload, "SEND",
                root().resolve("bin/eventlog-send").toString(), "EVENTLOG_TOKEN_FILE", token.toString()));
    }

    /** Starts {@code bin/eventlog serve ARGS…} and waits until {@code /health} answers 200. */
    private Process startService(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root().resolve("bin/eventlog").toString(), "serve"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("serve.out").toFile()).redirectError(dir.resolve("serve.err").toFile())
                .start();
        int tokenAt = List.of(args).indexOf("--token-file");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String port = args[List.of(args).indexOf("--listen") + 1].replaceAll(".*:", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5));
        if (tokenAt >= 0) {
            request.header("Authorization", "Bearer " + Files.readString(Path.of(args[tokenAt + 1])).strip());
        }
        HttpRequest health = request.build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("eventlog serve exited early: %s", Files.readString(
                    dir.resolve("serve.err"))).isTrue();
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("eventlog serve did not become healthy on port " + port);
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

    /**
     * bash takes the usual command lines in its common case (its own string operations) and
     * leaves the rest to the portable path; both must build the same line. Each command line here
     * is one the common case takes; it is run once through bash and once by dash alone (the
     * portable path, curl's), both to a closed port, and the lines printed and kept in the inbox
     * are compared, their times aside.
     */
    @Test
    void theCommonCaseInBashBuildsTheSameLineAsThePortablePathForEveryCommandLineItTakes() throws Exception {
        String url = "http://127.0.0.1:" + freePort();
        List<String> lines = List.of(
                "tool_use --tool-name Bash --success true",
                "git --commit-hash abc --message 'she said \"hi\" C:\\path\\' --files-changed 3",
                "--quiet deploy --env prod --version 1.4.2 --strict",
                "tool_use --tool_name x --tool-type builtin --message ''",
                "tool_use --message --not-an-option --max-time 1 --connect-timeout 1",
                "custom-kind --a b --ts 2026-01-01T00:00:00Z",
                "tool_use --url " + url + " --tool-name '{\"x\": [1, 2]}'");
        List<String> json = List.of("tool_use", "");
        int i = 0;
        for (String line : lines) {
            compareCommonAndPortable("common-" + i++, url, "exec \"$SEND\" --print --url " + url + " --inbox \"$INBOX\" "
                    + line);
        }
        for (String kind : json) {
            compareCommonAndPortable("json-" + i++, url, "printf '%s' '  {\"tool_name\": \"E\", \"n\": 1}  ' | exec "
                    + "\"$SEND\" --print --url " + url + " --inbox \"$INBOX\" " + kind + " --json -");
        }
    }

    private void compareCommonAndPortable(String name, String url, String script) throws Exception {
        String send = root().resolve("bin/eventlog-send").toString();
        Path bashInbox = dir.resolve(name + "-bash");
        Path shInbox = dir.resolve(name + "-sh");
        Run bash = run(List.of("dash", "-c", script), Map.of("SEND", send, "INBOX", bashInbox.toString()));
        Run sh = run(List.of("dash", "-c", script), Map.of("SEND", send, "INBOX", shInbox.toString(),
                "EVENTLOG_SEND_REEXEC", "1"));
        assertThat(bash.code).as(name + ": " + bash.err).isEqualTo(sh.code);
        assertThat(bash.out).as(name).isNotEmpty();
        assertThat(untimed(bash.out)).as(name + ": the line printed").isEqualTo(untimed(sh.out));
        List<Path> bashFiles = inboxFiles(bashInbox);
        List<Path> shFiles = inboxFiles(shInbox);
        assertThat(bashFiles).as(name).hasSize(1);
        assertThat(shFiles).as(name).hasSize(1);
        assertThat(Files.readString(bashFiles.get(0))).as(name + ": the line sent is the line kept").isEqualTo(bash.out);
        assertThat(untimed(Files.readString(bashFiles.get(0)))).isEqualTo(untimed(Files.readString(shFiles.get(0))));
        if (script.contains("--quiet")) {
            assertThat(bash.err + sh.err).as(name).isEmpty();
        } else {
            assertThat(bash.err).as(name).contains("was not reached");
        }
    }

    /** The line without the time the client stamped (bash and date read the clock at other moments). */
    private static String untimed(String line) {
        return line.replaceAll("\"ts\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\"", "\"ts\":TIME");
    }

    /**
     * A service that stops answering: the first event waits --max-time for the answer (the kernel
     * takes the connection while the listen queue has room) and goes to the inbox, which marks the
     * service unanswered; with the mark, a client arms its watchdog, so when the queue is full
     * (the kernel drops further connection attempts, and a connect would wait for its retries,
     * minutes) it is still held no longer than --max-time. The first event answered 200 clears the
     * mark.
     */
    @Test
    void aServiceThatStopsAnsweringHoldsEachClientNoLongerThanMaxTimeAlsoOnceItsListenQueueIsFull()
            throws Exception {
        Path inbox = dir.resolve("inbox");
        Path mark = inbox.resolve(".stalled");
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort();
            long start = System.nanoTime();
            Run first = send(Map.of(), "--strict", "--max-time", "1", "--url", url, "--inbox", inbox.toString(),
                    "tool_use", "--tool-name", "Unanswered");
            long firstMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(first.code).as(first.err).isEqualTo(1);
            assertThat(first.err.strip()).doesNotContain("\n").contains("no answer in 1 s").contains("kept in " + inbox);
            assertThat(Files.size(mark)).as("the inbox marks the service unanswered").isPositive();
            // Fill the queue (never accepted) until a connection attempt is no longer answered.
            boolean full = false;
            for (int i = 0; i < 64 && !full; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(server.getLocalSocketAddress(), 300);
                    queued.add(socket);
                } catch (SocketTimeoutException e) {
                    socket.close();
                    full = true;
                }
            }
            assertThat(full).as("the listen queue filled up").isTrue();
            start = System.nanoTime();
            Run run = send(Map.of(), "--strict", "--max-time", "1", "--url", url, "--inbox", inbox.toString(),
                    "tool_use", "--tool-name", "Queued");
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("[full listen queue] first event exit %d after %d ms; %d connections queued; exit %d "
                    + "after %d ms: %s%n", first.code, firstMillis, queued.size(), run.code, millis, run.err.strip());
            assertThat(run.code).as(run.err).isEqualTo(1);
            assertThat(run.err.strip()).doesNotContain("\n").contains("no answer in 1 s").contains("kept in " + inbox);
            assertThat(List.of(firstMillis, millis)).as("bounded by --max-time, not by the kernel's connection retries")
                    .allSatisfy(ms -> assertThat(ms).isLessThan(20_000));
            assertThat(inboxFiles(inbox)).hasSize(2);
            assertThat(Files.readString(inboxFiles(inbox).get(1))).contains("\"tool_name\":\"Queued\"");
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
        try (ServerSocket answering = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread service = new Thread(() -> answerOnce(answering));
            service.start();
            Run run = send(Map.of(), "--strict", "--max-time", "5", "--url", "http://127.0.0.1:"
                    + answering.getLocalPort(), "--inbox", inbox.toString(), "tool_use", "--tool-name", "Answered");
            service.join(10_000);
            assertThat(run.code).as(run.err).isZero();
            assertThat(Files.size(mark)).as("an answered event clears the mark").isZero();
            assertThat(inboxFiles(inbox)).hasSize(2);
        }
    }

    /** Reads one request up to its blank line and answers it 200, as the service does after the commit. */
    private static void answerOnce(ServerSocket server) {
        try (Socket socket = server.accept()) {
            var in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            String length = head.toString().toLowerCase(java.util.Locale.ROOT).split("content-length:")[1].split("\r")[0];
            in.readNBytes(Integer.parseInt(length.strip()));
            byte[] body = "{\"accepted\":1,\"duplicates\":0,\"rejected\":[]}\n".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII);
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A service that takes the connection (the kernel does) but never answers is left after
     * --max-time, also by a client started with SIGALRM ignored (then the watchdog's signal cannot
     * be caught, and the status line's own read timeout ends the wait).
     */
    @Test
    void aServiceThatNeverAnswersIsLeftAfterMaxTimeAlsoWhenTheClientStartsWithSigalrmIgnored() throws Exception {
        Path inbox = dir.resolve("inbox");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort();
            Map<String, String> env = Map.of("SEND", root().resolve("bin/eventlog-send").toString());
            List<Run> runs = new ArrayList<>();
            List<Long> millis = new ArrayList<>();
            for (String trap : List.of("", "trap '' ALRM; ")) {
                long start = System.nanoTime();
                runs.add(run(List.of("dash", "-c", trap + "exec \"$SEND\" --strict --max-time 1 --url " + url
                        + " --inbox '" + inbox + "' tool_use --tool-name Silent"), env));
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            System.out.printf("[silent service] exits %s after %s ms%n", runs.stream().map(Run::code).toList(), millis);
            for (Run run : runs) {
                assertThat(run.code).as(run.err).isEqualTo(1);
                assertThat(run.err.strip()).doesNotContain("\n").contains("no answer in 1 s");
            }
            assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(20_000));
            assertThat(inboxFiles(inbox)).hasSize(2);
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
