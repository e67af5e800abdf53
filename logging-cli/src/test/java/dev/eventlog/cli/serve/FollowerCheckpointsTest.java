package dev.eventlog.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The follower's checkpoints kept in a SQL store (SQLite and the real PostgreSQL), each committed with its
 * batch: read back as the batch left them, believed on a restart so that no committed line is read again,
 * through truncations and rotations while the service was stopped, and moved into the store from the
 * checkpoint file an earlier version kept.
 */
class FollowerCheckpointsTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path legacy;
    private Path state;
    private EventStore store;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    private void open(String which) throws IOException {
        legacy = Files.createDirectories(dir.resolve("legacy"));
        state = dir.resolve("state");
        store = EventStores.open(which.equals("sqlite") ? "sqlite:" + dir.resolve("events.db") : db.newSchemaUrl());
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private Follower follower(EventStore target) {
        return new Follower(legacy, "*.jsonl", state, new Ingest(), new EventSink(target, null), log);
    }

    private static String line(int n) {
        return "{\"ts\":" + (1700000000 + n) + ",\"event_type\":\"commit\",\"repo\":\"app\",\"n\":" + n + "}\n";
    }

    private static String lines(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int n = from; n < to; n++) {
            text.append(line(n));
        }
        return text.toString();
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
        return LongStream.range(from, to).boxed().collect(Collectors.toSet());
    }

    /** The checkpoints the store keeps for the followed folder, per file key. */
    private Map<String, JsonNode> kept() throws IOException {
        String key = Follower.hostName() + ":" + legacy.toAbsolutePath().normalize();
        Map<String, String> values = store.capability(CheckpointedAppends.class).orElseThrow().checkpoints(key);
        Map<String, JsonNode> parsed = new java.util.TreeMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            parsed.put(entry.getKey(), JSON.readTree(entry.getValue()));
        }
        return parsed;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void eachBatchCommitsItsCheckpointAndARestartReadsNoCommittedLineAgain(String which) throws Exception {
        open(which);
        Path file = legacy.resolve("git-activity.jsonl");
        // Three batches of up to 5 000 events, each committed with its checkpoint.
        append(file, lines(0, 12_000));
        Follower first = follower(store);
        first.poll();
        Map<String, JsonNode> afterFirst = kept();
        System.out.println(which + ": checkpoints kept after the first pass: " + afterFirst.values());
        assertThat(first.checkpointsInStore()).isTrue();
        assertThat(first.followerKey()).endsWith(":" + legacy.toAbsolutePath().normalize());
        assertThat(first.events()).isEqualTo(12_000);
        assertThat(afterFirst).hasSize(1);
        JsonNode checkpoint = afterFirst.values().iterator().next();
        assertThat(checkpoint.get("offset").asLong()).isEqualTo(Files.size(file));
        assertThat(checkpoint.get("lines").asLong()).isEqualTo(12_000);
        assertThat(checkpoint.get("lastId").asText()).isEqualTo(stored().stream()
                .filter(e -> ((Number) e.envelope().attributes().get("n")).longValue() == 11_999).findFirst()
                .orElseThrow().id().toString());
        assertThat(Files.exists(first.checkpointFile())).isFalse();

        // Left without a close (as a process killed after its last commit), then started again: only the new lines.
        append(file, lines(12_000, 12_010));
        Follower second = follower(store);
        second.poll();
        second.close();
        first.close();
        System.out.println(which + ": after a restart: " + second.events() + " new, " + second.duplicates()
                + " read again");
        assertThat(second.events()).isEqualTo(10);
        assertThat(second.duplicates()).isZero();
        assertThat(numbers()).isEqualTo(range(0, 12_010));
        assertThat(kept().values().iterator().next().get("offset").asLong()).isEqualTo(Files.size(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void truncatedAndRotatedWhileStoppedEachLineIsStoredOnce(String which) throws Exception {
        open(which);
        Path file = legacy.resolve("git-activity.jsonl");
        append(file, lines(0, 3));
        Follower first = follower(store);
        first.poll();
        first.close();

        // Truncated and written again while stopped: shorter than its checkpoint, read from its start.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        append(file, line(3));
        Follower second = follower(store);
        second.poll();
        second.close();
        assertThat(numbers()).isEqualTo(range(0, 4));
        assertThat(second.duplicates()).isZero();

        // Rotated while stopped: the renamed file is found by its identity and finished, a new one started.
        append(file, line(4));
        Files.move(file, legacy.resolve("git-activity.jsonl.1"));
        append(file, line(5) + line(6));
        Follower third = follower(store);
        third.poll();
        third.close();
        assertThat(numbers()).isEqualTo(range(0, 7));
        assertThat(third.duplicates()).isZero();
        assertThat(kept().values()).extracting(c -> Path.of(c.get("file").asText()).getFileName().toString())
                .containsExactlyInAnyOrder("git-activity.jsonl", "git-activity.jsonl.1");

        // The rotated file leaves the folder while stopped: said, and its checkpoint removed from the store.
        Files.move(legacy.resolve("git-activity.jsonl.1"), dir.resolve("archived.jsonl"));
        Follower fourth = follower(store);
        fourth.poll();
        fourth.close();
        System.out.println(logged.toString(StandardCharsets.UTF_8));
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("shorter than its checkpoint")
                .contains("renamed to git-activity.jsonl.1 while the service was stopped")
                .contains("is no longer in");
        assertThat(kept().values()).extracting(c -> Path.of(c.get("file").asText()).getFileName().toString())
                .containsExactly("git-activity.jsonl");
        assertThat(stored()).hasSize(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void theCheckpointFileOfAnEarlierVersionIsMovedIntoTheStoreOnce(String which) throws Exception {
        open(which);
        Path file = legacy.resolve("git-activity.jsonl");
        append(file, lines(0, 5));
        // What an earlier version did: the same store, its checkpoints in a file under the state folder.
        EventStore real = store;
        EventStore withoutCheckpoints = new EventStore() {
            @Override
            public int append(List<? extends Event> batch) {
                return real.append(batch);
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
        };
        Follower earlier = follower(withoutCheckpoints);
        earlier.poll();
        earlier.close();
        assertThat(earlier.checkpointsInStore()).isFalse();
        assertThat(Files.readString(earlier.checkpointFile())).contains("git-activity.jsonl");
        long offset = Files.size(file);

        append(file, lines(5, 8));
        Follower migrated = follower(store);
        migrated.poll();
        migrated.close();
        System.out.println(logged.toString(StandardCharsets.UTF_8));
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("are kept in " + store.describe())
                .contains("1 moved from " + earlier.checkpointFile());
        assertThat(earlier.checkpointFile()).doesNotExist();
        assertThat(Path.of(earlier.checkpointFile() + ".migrated")).exists();
        // The moved checkpoint was believed: the 5 lines it covers were not read again.
        assertThat(migrated.events()).isEqualTo(3);
        assertThat(migrated.duplicates()).isZero();
        assertThat(numbers()).isEqualTo(range(0, 8));
        assertThat(kept().values().iterator().next().get("offset").asLong()).isEqualTo(Files.size(file))
                .isGreaterThan(offset);

        // A later start finds the checkpoints in the store and no file to move.
        append(file, line(8));
        Follower later = follower(store);
        later.poll();
        later.close();
        assertThat(later.events()).isEqualTo(1);
        assertThat(later.duplicates()).isZero();
        assertThat(logged.toString(StandardCharsets.UTF_8)).containsOnlyOnce("are kept in");
    }
}
