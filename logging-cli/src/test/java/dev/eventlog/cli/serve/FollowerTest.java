package dev.eventlog.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.migrate.Importer;
import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower of {@code eventlog serve --follow} against a real SQLite store and real files: torn lines,
 * truncation, replacement, rotation and restarts, each line stored once with the id the import gives it.
 */
class FollowerTest {
    @TempDir
    Path dir;

    private Path legacy;
    private Path state;
    private EventStore store;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    @BeforeEach
    void open() throws IOException {
        legacy = Files.createDirectories(dir.resolve("legacy"));
        state = dir.resolve("state");
        store = EventStores.open("sqlite:" + dir.resolve("events.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Follower follower() {
        return follower("*.jsonl");
    }

    private Follower follower(String glob) {
        return new Follower(legacy, glob, state, new Ingest(), new EventSink(store, null), log);
    }

    private static String line(int n) {
        return "{\"ts\":" + (1700000000 + n) + ",\"event_type\":\"commit\",\"repo\":\"app\",\"n\":" + n + "}\n";
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private List<Event> stored() {
        try (Stream<Event> events = store.read(EventQuery.of(EventKind.GIT))) {
            return events.toList();
        }
    }

    private Set<Long> numbers() {
        return stored().stream().map(e -> ((Number) e.envelope().attributes().get("n")).longValue())
                .collect(Collectors.toSet());
    }

    private static Set<Long> range(int from, int to) {
        return java.util.stream.LongStream.range(from, to).boxed().collect(Collectors.toSet());
    }

    @Test
    void aTornLastLineWaitsForItsLineFeedAndTheIdsAreTheImportsIds() throws Exception {
        Path file = legacy.resolve("git-activity.jsonl");
        String third = line(3);
        append(file, line(1) + line(2) + line(1) + third.substring(0, 20));
        Follower follower = follower();
        follower.poll();
        System.out.println("after a torn line: " + numbers() + ", lag " + follower.files());
        assertThat(stored()).hasSize(3);
        assertThat(follower.files().get(0).lag()).isEqualTo(20);
        follower.poll();
        assertThat(stored()).hasSize(3);

        append(file, third.substring(20) + "not json\n");
        follower.poll();
        follower.close();
        assertThat(stored()).hasSize(4);
        assertThat(numbers()).isEqualTo(range(1, 4));
        assertThat(follower.files().get(0).lag()).isZero();
        List<String> quarantined = Files.readAllLines(follower.quarantineFile());
        System.out.println("quarantine: " + quarantined);
        assertThat(quarantined).hasSize(1);
        assertThat(quarantined.get(0)).contains("\"line\":5").contains("not JSON");

        // The import of the same file gives the same ids: following and importing never store a line twice.
        try (EventStore imported = EventStores.open("sqlite:" + dir.resolve("imported.db"))) {
            Importer.builder().target(imported).input(file).stateDirectory(dir.resolve("import-state"))
                    .checkContent(false).build().run();
            try (Stream<Event> events = imported.read(EventQuery.of(EventKind.GIT))) {
                assertThat(events.map(Event::id).collect(Collectors.toSet()))
                        .isEqualTo(stored().stream().map(Event::id).collect(Collectors.toSet()));
            }
        }
    }

    @Test
    void aTruncatedOrReplacedFileIsReadFromItsStartAndEachLineStoredOnce() throws Exception {
        Path file = legacy.resolve("git-activity.jsonl");
        append(file, line(1) + line(2) + line(3));
        Follower follower = follower();
        follower.poll();
        assertThat(stored()).hasSize(3);

        // Truncated, then fewer bytes written than before: the size tells.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        append(file, line(4));
        follower.poll();
        assertThat(numbers()).isEqualTo(range(1, 5));

        // Truncated, then more bytes written than before, between two passes: the bytes before the checkpoint tell.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        append(file, line(5) + line(6) + line(7));
        follower.poll();
        follower.close();
        System.out.println(logged.toString(StandardCharsets.UTF_8));
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("shrank").contains("was replaced");
        assertThat(stored()).hasSize(7);
        assertThat(numbers()).isEqualTo(range(1, 8));
    }

    @Test
    void aRotatedFileIsFinishedUnderItsNewNameAndItsSuccessorStarted() throws Exception {
        Path file = legacy.resolve("git-activity.jsonl");
        append(file, line(1) + line(2));
        Follower follower = follower();
        follower.poll();
        // Written after the last pass, then rotated: these lines are read from the renamed file.
        append(file, line(3) + line(4));
        Files.move(file, legacy.resolve("git-activity.jsonl.1"));
        append(file, line(1) + line(5));
        follower.poll();
        assertThat(follower.files()).extracting(f -> f.file().getFileName().toString())
                .containsExactlyInAnyOrder("git-activity.jsonl", "git-activity.jsonl.1");
        // A line written to the rotated file by a writer that still holds it open is read too.
        append(legacy.resolve("git-activity.jsonl.1"), line(6));
        follower.poll();
        // A file moved out of the folder is read to its end through the handle held, then dropped.
        append(legacy.resolve("git-activity.jsonl.1"), line(7));
        Files.move(legacy.resolve("git-activity.jsonl.1"), dir.resolve("archived.jsonl"));
        follower.poll();
        follower.close();
        System.out.println(logged.toString(StandardCharsets.UTF_8));
        assertThat(numbers()).isEqualTo(range(1, 8));
        // The first line of the new file repeats a line of the old one byte for byte: as for the import, the same
        // line of another file of the same kind is the same event.
        assertThat(stored()).hasSize(7);
        assertThat(follower.files()).extracting(f -> f.file().getFileName().toString())
                .containsExactly("git-activity.jsonl");
    }

    @Test
    void aCopyThenTruncateRotationLosesNothingWhenTheCopiesAreFollowedToo() throws Exception {
        Path file = legacy.resolve("git-activity.jsonl");
        append(file, line(1) + line(2));
        Follower follower = follower("git-activity.jsonl*");
        follower.poll();
        // logrotate's copytruncate: lines 3 and 4 were written after the last pass and survive only in the copy.
        append(file, line(3) + line(4));
        Files.copy(file, legacy.resolve("git-activity.jsonl.1"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        append(file, line(5));
        follower.poll();
        follower.close();
        // The copy's lines 1 and 2 have the ids they had in the original: duplicates, not second events.
        assertThat(numbers()).isEqualTo(range(1, 6));
        assertThat(stored()).hasSize(5);
        assertThat(Follower.kindOfName("git-activity.jsonl-20260105")).isEqualTo(EventKind.GIT);
        assertThat(Follower.kindOfName("git-activity.jsonlx")).isNull();
    }

    @Test
    void checkpointsInAFileSurviveARestartAndAreBelievedOnlyWhenTheFileAndTheStoreAgree() throws Exception {
        // A store that does not keep checkpoints (JSONL): they are kept in the checkpoint file.
        store.close();
        store = EventStores.open("jsonl:" + dir.resolve("events-jsonl"));
        Path file = legacy.resolve("git-activity.jsonl");
        append(file, line(1) + "not json\n" + line(2));
        Follower first = follower();
        first.poll();
        first.close();
        append(file, line(3));

        // A restart resumes at the checkpoint: the bad line is not read (nor quarantined) a second time.
        Follower second = follower();
        second.poll();
        second.close();
        assertThat(numbers()).isEqualTo(range(1, 4));
        assertThat(Files.readAllLines(second.quarantineFile())).hasSize(1);

        // Rotated while stopped: found by its identity under its new name, and a new file started.
        append(file, line(4));
        Files.move(file, legacy.resolve("git-activity.jsonl.1"));
        append(file, line(5));
        Follower third = follower();
        third.poll();
        third.close();
        assertThat(numbers()).isEqualTo(range(1, 6));
        assertThat(stored()).hasSize(5);

        assertThat(third.checkpointsInStore()).isFalse();
        assertThat(third.duplicates()).isZero();

        // The store emptied behind the checkpoint's back: the last event stored is missing, the files are read again.
        store.close();
        try (Stream<Path> files = Files.walk(dir.resolve("events-jsonl"))) {
            for (Path each : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
        store = EventStores.open("jsonl:" + dir.resolve("events-jsonl"));
        Follower fourth = follower();
        fourth.poll();
        fourth.close();
        System.out.println(logged.toString(StandardCharsets.UTF_8));
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("no longer holds the last event");
        assertThat(numbers()).isEqualTo(range(1, 6));
        assertThat(stored()).hasSize(5);
        assertThat(Files.readString(fourth.checkpointFile())).contains("git-activity.jsonl.1");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void whileTheStoreFailsTheLinesWaitInTheFileAndAreStoredOnceItIsBack(boolean checkpointsInStore) throws Exception {
        // A store that refuses writes on demand: the one fault a real SQLite file cannot be made to produce at will.
        // It keeps the checkpoints as the SQLite store does, or leaves them to the checkpoint file.
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        EventStore real = store;
        CheckpointedAppends realCheckpoints = real.capability(CheckpointedAppends.class).orElseThrow();
        final class Failing implements EventStore, CheckpointedAppends {
            @Override
            public int append(List<? extends Event> batch) {
                if (down.get()) {
                    throw new dev.eventlog.StoreException("disk I/O error (the test's outage)");
                }
                return real.append(batch);
            }

            @Override
            public int appendWithCheckpoints(List<? extends Event> batch, String follower,
                    java.util.Map<String, String> checkpoints) {
                if (down.get()) {
                    throw new dev.eventlog.StoreException("disk I/O error (the test's outage)");
                }
                return realCheckpoints.appendWithCheckpoints(batch, follower, checkpoints);
            }

            @Override
            public java.util.Map<String, String> checkpoints(String follower) {
                return realCheckpoints.checkpoints(follower);
            }

            @Override
            public <T> java.util.Optional<T> capability(Class<T> type) {
                return type == CheckpointedAppends.class && !checkpointsInStore ? java.util.Optional.empty()
                        : EventStore.super.capability(type);
            }

            @Override
            public Stream<Event> read(EventQuery query) {
                return real.read(query);
            }

            @Override
            public String describe() {
                return real.describe();
            }

            @Override
            public void close() {
                real.close();
            }
        }
        EventStore failing = new Failing();
        Path file = legacy.resolve("git-activity.jsonl");
        append(file, line(1) + line(1) + "not json\n");
        Follower follower = new Follower(legacy, "*.jsonl", state, new Ingest(), new EventSink(failing, null), log);
        assertThat(follower.checkpointsInStore()).isEqualTo(checkpointsInStore);
        follower.poll();
        down.set(true);
        append(file, line(1) + "not json either\n" + line(2));
        follower.poll();
        follower.poll();
        assertThat(stored()).hasSize(2);
        assertThat(follower.files().get(0).lag()).isPositive();
        down.set(false);
        follower.poll();
        follower.close();
        System.out.println(logged.toString(StandardCharsets.UTF_8));
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("wait in the file: the store failed");
        // The third copy of line 1 is a third event: the counts of identical lines were not run ahead by the outage.
        assertThat(stored()).hasSize(4);
        // Each rejected line was quarantined once, though the passes during the outage read the second again.
        assertThat(Files.readAllLines(follower.quarantineFile())).hasSize(2);
        assertThat(follower.rejected()).isEqualTo(2);
    }

    @Test
    void aFileNamedForNoKindIsReadByEachLinesKindField() throws Exception {
        Path file = legacy.resolve("hooks.jsonl");
        append(file, "{\"kind\":\"git\",\"ts\":1700000000,\"event_type\":\"commit\",\"repo\":\"app\",\"n\":1}\n"
                + "{\"kind\":\"tool_use\",\"ts\":1700000001,\"tool\":\"Bash\",\"success\":true}\n"
                + "{\"ts\":1700000002,\"event_type\":\"commit\"}\n");
        Follower follower = follower();
        follower.poll();
        follower.close();
        assertThat(numbers()).containsExactly(1L);
        try (Stream<Event> tools = store.read(EventQuery.of(EventKind.TOOL_USE))) {
            assertThat(tools.count()).isEqualTo(1);
        }
        assertThat(Files.readString(follower.quarantineFile())).contains("needs a \\\"kind\\\" field");
    }
}
