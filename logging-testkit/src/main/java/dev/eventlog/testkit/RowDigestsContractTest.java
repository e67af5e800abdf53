package dev.eventlog.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.CustomEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.migrate.ContentCheck;
import dev.eventlog.migrate.Importer;
import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.RowDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of {@link RowDigests}, which the SQL stores make, and of the content check of an import
 * built on it: the client's hash of an event equals the store's hash of the row it keeps, for every
 * kind and every shape of value; a row changed behind the store's back changes its hour's sum and
 * only that hour's; and an import, proving its rows by these sums per hour and reading back only the
 * hours that disagree, still names every event that differs or is missing, and is not fooled by rows
 * of the same hours that it did not send. A store's tests extend this class and say how to open a
 * fresh store and how to reach its database behind its back (SQL of its own dialect, no mock).
 */
public abstract class RowDigestsContractTest {
    /** 2026-01-28T06:00:00Z: the lines of the import tests spread over three hours from here. */
    private static final long T0 = 1_769_580_000L;
    private static final int LINES = 3_000;

    /** A directory of the test's own, for files of the store and of the imports. */
    @TempDir
    protected Path dir;

    /** The store under test, opened before each test and closed after it. */
    protected EventStore store;

    /** A new, empty store that has {@link RowDigests}, keeping its files (if any) under {@code dir}. */
    protected abstract EventStore openStore(Path dir);

    /** The name of the store's table {@code table} in SQL given to {@link #execute}. */
    protected abstract String table(String table);

    /** Runs {@code sql} on the store's database over a connection of its own, behind the store's back. */
    protected abstract void execute(String sql) throws Exception;

    /**
     * Makes the store's database skip, without an error, the insert of a row of {@code table} whose
     * {@code column} holds {@code value}: the append believes it stored the row (a trigger does it).
     */
    protected abstract void dropSilently(String table, String column, String value) throws Exception;

    @BeforeEach
    void openTheStore() {
        store = openStore(dir);
    }

    @AfterEach
    void closeTheStore() {
        store.close();
    }

    private RowDigests digests() {
        return store.capability(RowDigests.class).orElseThrow();
    }

    @Test
    void theClientsSumsEqualTheStoresForEveryKindAndValue() {
        List<Event> events = new ArrayList<>(SampleEvents.everyKind());
        for (EventKind kind : EventKind.values()) {
            events.add(SampleEvents.empty(kind, SampleEvents.T0.plusSeconds(100 + kind.ordinal())));
        }
        int i = 0;
        for (String text : SampleEvents.NASTY_TEXT) {
            Instant ts = SampleEvents.T0.plusSeconds(200 + i++);
            events.add(ToolUseEvent.builder().ts(ts).toolName(text).success(i % 2 == 0).filePaths(List.of(text, "b"))
                    .attribute(text, text).build());
        }
        events.add(ToolUseEvent.builder().ts(SampleEvents.T0.plusSeconds(250)).toolName("").success(false).sessionId("")
                .durationMs(0L).build());
        Map<String, Object> numbers = new LinkedHashMap<>(SampleEvents.jsonAttributes());
        numbers.put("small", 1.5E-7);
        numbers.put("big", 1.0E20);
        numbers.put("whole", 3.0);
        numbers.put("negativeZero", -0.0);
        numbers.put("max", Long.MAX_VALUE);
        numbers.put("min", Long.MIN_VALUE);
        numbers.put("tiny", Double.MIN_VALUE);
        numbers.put("huge", Double.MAX_VALUE);
        numbers.put("control\u0001\u001f", "\u0001\u007f\u2028");
        // Keys out of order and of other lengths: a JSON column may keep them in another order.
        numbers.put("bb", 1L);
        numbers.put("a", 2L);
        numbers.put("é", 3L);
        numbers.put("z", 4L);
        events.add(CustomEvent.builder("numbers").ts(SampleEvents.T0.plusSeconds(300)).attributes(numbers).build());
        // Ids spelled without their text by a hasher: every digit position, leading zeros, high bits.
        long[][] ids = {{0, 0}, {-1, -1}, {0x0123456789abcdefL, 0xfedcba9876543210L}, {Long.MIN_VALUE, 1}};
        for (long[] bits : ids) {
            events.add(ToolUseEvent.builder().id(new UUID(bits[0], bits[1]))
                    .ts(SampleEvents.T0.plusSeconds(260 + events.size())).toolName("ascii then \u00e9").success(true).build());
        }
        // An hour later: a bucket of its own.
        events.add(CustomEvent.builder("later").ts(SampleEvents.T0.plusSeconds(7_200)).attribute("x", 1).build());
        // On an hour's first millisecond and the one before it: each in its own bucket.
        long hour = Math.floorDiv(SampleEvents.T0.toEpochMilli(), RowDigests.BUCKET_MILLIS) + 2;
        Instant boundary = Instant.ofEpochMilli(hour * RowDigests.BUCKET_MILLIS);
        events.add(CustomEvent.builder("boundary").ts(boundary).build());
        events.add(CustomEvent.builder("boundary").ts(boundary.minusMillis(1)).build());
        store.append(events);

        for (EventKind kind : EventKind.values()) {
            assertThat(digests().sums(kind, SampleEvents.T0, SampleEvents.T0.plusSeconds(10_000)))
                    .as(kind.key()).isEqualTo(clientSums(events, kind)).isNotEmpty();
        }
    }

    @Test
    void aRowChangedBehindTheStoreChangesItsHoursSumAndOnlyThatHours() throws Exception {
        List<Event> events = new ArrayList<>(SampleEvents.activities(20, SampleEvents.T0));
        events.addAll(SampleEvents.activities(5, SampleEvents.T0.plusSeconds(3_600)));
        store.append(events);
        Instant from = SampleEvents.T0;
        Instant until = SampleEvents.T0.plusSeconds(7_200);
        Map<Long, RowDigests.Bucket> before = digests().sums(EventKind.ACTIVITY, from, until);
        assertThat(before).hasSize(2).isEqualTo(clientSums(events, EventKind.ACTIVITY));

        execute("UPDATE " + table("activity_events") + " SET description = 'step 3 ' WHERE id = '"
                + events.get(3).id() + "'");

        Map<Long, RowDigests.Bucket> after = digests().sums(EventKind.ACTIVITY, from, until);
        long changedHour = Math.floorDiv(SampleEvents.T0.toEpochMilli(), RowDigests.BUCKET_MILLIS);
        assertThat(after.get(changedHour)).isNotEqualTo(before.get(changedHour));
        assertThat(after.get(changedHour).count()).isEqualTo(before.get(changedHour).count());
        assertThat(after.get(changedHour + 1)).isEqualTo(before.get(changedHour + 1));
    }

    @Test
    void everyEventImportedIsProvenIdentical() throws IOException {
        MigrationReport report = importLines(lines(0));

        assertThat(report.contentCheck()).isEqualTo(new ContentCheck(true, LINES, LINES, 0, 0, List.of(), List.of()));
        assertThat(importLines(lines(0)).contentCheck().identical()).isEqualTo(LINES);
    }

    @Test
    void anEventAlreadyPresentWithOtherContentIsNamedAndTheRestOfItsHourProven() throws IOException {
        UUID id = UUID.fromString("019c0330-e530-7000-8000-000000000001");
        store.append(List.of(GitEvent.builder().id(id).ts(Instant.ofEpochSecond(T0 + 5)).eventType("commit")
                .commitHash("abc").repo("before").build()));
        String line = "{\"id\": \"" + id + "\", \"ts\": " + (T0 + 5) + ", \"type\": \"commit\", \"hash\": \"abc\","
                + " \"repository\": \"after\"}\n";

        ContentCheck check = importLines(line + lines(0)).contentCheck();

        assertThat(check.checked()).isEqualTo(LINES + 1);
        assertThat(check.differing()).isEqualTo(1);
        assertThat(check.firstDiffering()).containsExactly(id);
        assertThat(check.identical()).isEqualTo(LINES);
        assertThat(check.missing()).isZero();
    }

    @Test
    void anEventTheDatabaseDidNotKeepIsMissing() throws Exception {
        dropSilently("git_events", "repo", "vanish");
        UUID id = UUID.fromString("019c0330-e530-7000-8000-0000000000aa");
        String line = "{\"id\": \"" + id + "\", \"ts\": " + (T0 + 7) + ", \"type\": \"commit\", \"repository\": \"vanish\"}\n";

        ContentCheck check = importLines(lines(0) + line).contentCheck();

        assertThat(check.missing()).isEqualTo(1);
        assertThat(check.firstMissing()).containsExactly(id);
        assertThat(check.identical()).isEqualTo(LINES);
        assertThat(check.differing()).isZero();
    }

    @Test
    void aRowChangedBehindTheImportsBackIsNamedDiffering() throws Exception {
        importLines(lines(0));
        execute("UPDATE " + table("git_events") + " SET additions = additions + 1 WHERE repo = 'r-17'");

        ContentCheck check = importLines(lines(0)).contentCheck();

        assertThat(check.differing()).isEqualTo(1);
        assertThat(check.identical()).isEqualTo(LINES - 1);
        assertThat(check.missing()).isZero();
    }

    @Test
    void rowsOfTheSameHoursThatTheRunDidNotSendDoNotCount() throws IOException {
        importLines(lines(1_000_000));

        ContentCheck check = importLines(lines(0)).contentCheck();

        assertThat(check).isEqualTo(new ContentCheck(true, LINES, LINES, 0, 0, List.of(), List.of()));
        assertThat(store.count(EventQuery.of(EventKind.GIT)).get(EventKind.GIT)).isEqualTo(2L * LINES);
    }

    /** The sums of the events of {@code kind} as the client computes them with the store's hasher. */
    private Map<Long, RowDigests.Bucket> clientSums(List<Event> events, EventKind kind) {
        RowDigests.Hasher hasher = digests().hasher();
        Map<Long, long[]> sums = new HashMap<>();
        for (Event event : events) {
            if (event.kind() == kind) {
                long[] sum = sums.computeIfAbsent(Math.floorDiv(event.ts().toEpochMilli(), RowDigests.BUCKET_MILLIS),
                        b -> new long[2]);
                sum[0]++;
                sum[1] += hasher.hash(event);
            }
        }
        Map<Long, RowDigests.Bucket> buckets = new HashMap<>();
        sums.forEach((bucket, sum) -> buckets.put(bucket, new RowDigests.Bucket(sum[0], sum[1])));
        return buckets;
    }

    /** {@code LINES} git lines over three hours, their content numbered from {@code first}. */
    private static String lines(int first) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            text.append("{\"ts\": ").append(T0 + i * 3L).append(", \"type\": \"commit\", \"repository\": \"r-")
                    .append(first + i).append("\", \"additions\": ").append(i).append(", \"message\": \"fix \\\"")
                    .append(i).append("\\\" é\"}\n");
        }
        return text.toString();
    }

    private MigrationReport importLines(String text) throws IOException {
        Path input = Files.createTempDirectory(dir, "in").resolve("git-activity.jsonl");
        Files.writeString(input, text);
        return Importer.builder().target(store).input(input).stateDirectory(Files.createTempDirectory(dir, "state"))
                .build().run();
    }
}
