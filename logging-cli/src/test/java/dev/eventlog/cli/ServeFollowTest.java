package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import dev.eventlog.testkit.TestDatabase;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code eventlog serve --follow} as a real child process, into SQLite and the real PostgreSQL: a legacy file is
 * appended to by a writer that does not stop, the service is SIGKILLed and restarted, the file is rotated and
 * truncated, and the store ends up holding each line written once; with the checkpoints committed with their
 * batches, no restart reads a committed line again.
 */
class ServeFollowTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    private static String line(long n) {
        return "{\"ts\":" + (1700000000000L + n) + ",\"event_type\":\"commit\",\"repo\":\"app\",\"n\":" + n + "}\n";
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<Event> stored(String url) {
        try (EventStore store = EventStores.open(url, StoreOptions.READ);
                Stream<Event> events = store.read(EventQuery.of(EventKind.GIT))) {
            return events.toList();
        }
    }

    private static Set<Long> numbers(List<Event> events) {
        return events.stream().map(e -> ((Number) e.envelope().attributes().get("n")).longValue())
                .collect(Collectors.toSet());
    }

    /** Waits until the store holds {@code expected} git events (a hang guard of three minutes, not a timing). */
    private static void waitForRows(String url, int expected, Service service) throws Exception {
        int rows = -1;
        for (int i = 0; i < 1800; i++) {
            rows = stored(url).size();
            if (rows >= expected) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(rows).as("rows stored from the followed files; service said: %s", service.process.errSoFar())
                .isEqualTo(expected);
    }

    /** The service read no line again that the store already held (the checkpoints are committed with their batches). */
    private static void assertNothingReadAgain(Service service) throws Exception {
        String metrics = service.get("/metrics").body();
        assertThat(metrics).as("the service's metrics").contains("eventlog_serve_follow_duplicates_total 0\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aFollowedFileAppendedTruncatedAndRotatedWhileTheServiceRestartsHoldsEachLineOnce(String which)
            throws Exception {
        String db = which.equals("sqlite") ? "sqlite:" + dir.resolve("events.db") : ServeFollowTest.db.newSchemaUrl();
        Path legacy = Files.createDirectories(dir.resolve("legacy"));
        Path file = legacy.resolve("git-activity.jsonl");
        String[] args = {"--store", db, "--inbox", dir.resolve("inbox").toString(), "--follow",
            legacy.toString(), "--follow-interval", "0.1", "--follow-state", dir.resolve("state").toString()};
        Set<Long> written = ConcurrentHashMap.newKeySet();
        long next = 0;

        // Lines the old hooks wrote before the service existed: the backlog.
        StringBuilder backlog = new StringBuilder();
        for (; next < 200; next++) {
            backlog.append(line(next));
            written.add(next);
        }
        append(file, backlog.toString());
        int port = Service.freePort();
        Service service = Service.start(dir, port, args);
        waitForRows(db, written.size(), service);

        // A writer keeps appending, a line per write as a hook does, while the service is killed and restarted.
        AtomicBoolean writing = new AtomicBoolean(true);
        long firstOfWriter = next;
        Thread writer = new Thread(() -> {
            long n = firstOfWriter;
            while (writing.get()) {
                try {
                    append(file, line(n));
                    written.add(n++);
                    Thread.sleep(2);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        writer.start();
        Thread.sleep(1500);
        assertNothingReadAgain(service);
        service.process.kill();
        service.process.await();
        Thread.sleep(300);
        service = Service.start(dir, port, args);
        Thread.sleep(1000);
        // Restarted after a SIGKILL, with the writer still writing: it resumed at the last committed checkpoint.
        assertNothingReadAgain(service);
        service.process.kill();
        service.process.await();
        service = Service.start(dir, port, args);
        writing.set(false);
        writer.join();
        waitForRows(db, written.size(), service);
        next = written.stream().mapToLong(Long::longValue).max().orElseThrow() + 1;
        System.out.printf("after two SIGKILLs under a running writer: %d lines written, %d rows%n", written.size(),
                stored(db).size());

        // Killed with half a line written; rotated while down; the old writer ends its line in the renamed file.
        String torn = line(next);
        append(file, torn.substring(0, 25));
        service.process.kill();
        service.process.await();
        Path rotated = legacy.resolve("git-activity.jsonl.1");
        Files.move(file, rotated);
        append(rotated, torn.substring(25));
        written.add(next++);
        StringBuilder fresh = new StringBuilder();
        for (int i = 0; i < 50; i++, next++) {
            fresh.append(line(next));
            written.add(next);
        }
        append(file, fresh.toString());
        service = Service.start(dir, port, args);
        waitForRows(db, written.size(), service);

        // Truncated once read, written again, and killed straight away: the new lines are stored once on restart.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        StringBuilder after = new StringBuilder();
        for (int i = 0; i < 30; i++, next++) {
            after.append(line(next));
            written.add(next);
        }
        append(file, after.toString());
        service.process.kill();
        service.process.await();
        service = Service.start(dir, port, args);
        waitForRows(db, written.size(), service);

        // The rows are readable once a batch commits; a file's lag is published after each file the pass read.
        String health = service.get("/health").body();
        for (int i = 0; i < 300 && !(health.contains("git-activity.jsonl.1") && health.contains("\"follow_lag_bytes\":0"));
                i++) {
            Thread.sleep(100);
            health = service.get("/health").body();
        }
        String metrics = service.get("/metrics").body();
        System.out.println(health);
        assertThat(health).contains("\"follow_lag_bytes\":0").contains("git-activity.jsonl.1");
        assertThat(metrics).contains("eventlog_serve_follow_files 2").contains("eventlog_serve_follow_lag_bytes 0");
        assertNothingReadAgain(service);
        // No checkpoint file: the checkpoints are in the store.
        try (Stream<Path> state = Files.exists(dir.resolve("state")) ? Files.list(dir.resolve("state")) : Stream.empty()) {
            assertThat(state.toList()).isEmpty();
        }
        service.process.terminate();
        assertThat(service.process.await().exitCode()).isZero();

        List<Event> events = stored(db);
        System.out.printf("lines written %d, rows %d, distinct ids %d%n", written.size(), events.size(),
                events.stream().map(Event::id).distinct().count());
        assertThat(events).hasSize(written.size());
        assertThat(numbers(events)).isEqualTo(written);
        assertThat(events.stream().map(Event::id).distinct().count()).isEqualTo(written.size());
    }

    @Test
    void aFileFoundByAPassIsListedInHealthWhileThePassStillReadsIt() throws Exception {
        Path legacy = Files.createDirectories(dir.resolve("legacy"));
        int lines = 40_000;   // eight batches: the pass commits several times before it ends
        StringBuilder backlog = new StringBuilder();
        for (long n = 0; n < lines; n++) {
            backlog.append(line(n));
        }
        append(legacy.resolve("git-activity.jsonl"), backlog.toString());
        int port = Service.freePort();
        Service service = Service.start(dir, port, "--store", "sqlite:" + dir.resolve("events.db"), "--inbox",
                dir.resolve("inbox").toString(), "--follow", legacy.toString(), "--follow-state",
                dir.resolve("state").toString());
        Pattern imported = Pattern.compile("\"follow_imported\":(\\d+)");
        int midPass = 0;
        long stored = 0;
        String health = "";
        for (int i = 0; i < 18_000 && stored < lines; i++) {
            health = service.get("/health").body();
            Matcher count = imported.matcher(health);
            stored = count.find() ? Long.parseLong(count.group(1)) : 0;
            if (stored > 0) {
                // Events of the file are stored: the file is listed, with the bytes still to read.
                assertThat(health).as("/health once the followed file's first batches are stored")
                        .contains("git-activity.jsonl\"");
                midPass += stored < lines ? 1 : 0;
            }
            Thread.sleep(5);
        }
        System.out.println("answers read while the pass was storing the file: " + midPass + "; last: " + health);
        assertThat(stored).isEqualTo(lines);
        for (int i = 0; i < 300 && !health.contains("\"follow_lag_bytes\":0"); i++) {
            Thread.sleep(100);   // the lag is published after the file's last batch
            health = service.get("/health").body();
        }
        assertThat(health).contains("\"follow_lag_bytes\":0");
        service.process.terminate();
        assertThat(service.process.await().exitCode()).isZero();
    }

    @Test
    void aFollowedFolderThatIsMissingOrIsTheInboxIsRefusedOnOneLine() throws Exception {
        Cli.Result missing = CliProcess.run(dir, List.of(), "serve", "--store", "sqlite:" + dir.resolve("e.db"),
                "--follow", dir.resolve("nope").toString());
        System.out.println(missing.err());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("--follow was")
                .contains("must be an existing folder");

        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Cli.Result isInbox = CliProcess.run(dir, List.of(), "serve", "--store", "sqlite:" + dir.resolve("e.db"),
                "--inbox", inbox.toString(), "--follow", inbox.toString(), "--follow-interval", "0");
        System.out.println(isInbox.err());
        assertThat(isInbox.exitCode()).isEqualTo(2);
        assertThat(isInbox.err()).contains("that is the inbox").contains("--follow-interval was '0'");
        assertThat(dir.resolve("e.db")).doesNotExist();

        Cli.Result config = CliProcess.run(dir, List.of(), "serve", "--store", "sqlite:" + dir.resolve("e.db"),
                "--follow", dir.toString(), "--follow-state", dir.resolve("elsewhere").toString(), "--print-config");
        assertThat(config.exitCode()).isEqualTo(2);
        assertThat(config.err()).contains("lies inside the followed folder");
        Path legacy = Files.createDirectories(dir.resolve("legacy"));
        Cli.Result printed = CliProcess.run(dir, List.of(), "serve", "--store", "sqlite:" + dir.resolve("e.db"),
                "--follow", legacy.toString(), "--follow-state", dir.resolve("state").toString(), "--print-config");
        System.out.println(printed.out());
        assertThat(printed.exitCode()).isZero();
        assertThat(printed.out()).contains("\"follow\" : [ \"" + legacy + "\" ]").contains("\"follow_glob\" : \"*.jsonl\"")
                .contains("\"follow_interval_seconds\" : 1.0").contains("\"follow_state\" : \"" + dir.resolve("state"));
    }
}
