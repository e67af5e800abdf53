package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.ActivityEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite file on a real, small file system (a 4 MiB tmpfs) that fills up. Mounting needs root,
 * as CI has; elsewhere the test is skipped and says why.
 *
 * <p>Half the disk is ballast, freed once the disk is full: more than the WAL can hold, so that
 * the background checkpoint copying the WAL into the database file cannot take all of it back.
 */
class SqliteDiskFullTest {
    private static final int EVENTS_PER_BATCH = 40;
    private static final int DESCRIPTION_CHARS = 4_096;

    @TempDir
    Path dir;

    private Path disk;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = Files.createDirectories(dir.resolve("small-disk"));
        String refused = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString());
        Assumptions.assumeTrue(refused == null,
                () -> "skipped: cannot mount a 4 MiB tmpfs at " + disk + " (needs root): " + refused);
    }

    @AfterEach
    void unmountIt() throws Exception {
        if (disk != null) {
            run("umount", disk.toString());
        }
    }

    @Test
    void aFullDiskIsReportedAsSuchKeepsNoPartOfTheBatchAndTheNextAppendWorksOnceSpaceIsFreed() throws IOException {
        Path db = disk.resolve("events.db");
        Path ballast = disk.resolve("ballast");
        List<Event> stored = new ArrayList<>();
        List<Event> failedBatch = null;
        StoreException failure = null;
        try (SqliteEventStore store = SqliteEventStore.open(db)) {
            // Room that can be given back once the disk is full.
            Files.write(ballast, new byte[2 * 1024 * 1024]);
            Random random = new Random(42);
            for (int round = 0; round < 200 && failure == null; round++) {
                List<Event> batch = batch(random, round);
                try {
                    store.append(batch);
                    stored.addAll(batch);
                } catch (StoreException e) {
                    failure = e;
                    failedBatch = batch;
                }
            }
            assertThat(failure).as("an append on a full 4 MiB disk fails").isNotNull();
            System.out.println("disk full after " + stored.size() + " stored events; the failure: "
                    + failure.getMessage());
            assertThat(failure.getMessage()).contains("SQLITE_FULL").contains("disk is full")
                    .contains("could not append " + EVENTS_PER_BATCH + " event(s)");

            long count = store.count(EventQuery.all()).get(EventKind.ACTIVITY);
            Set<UUID> ids = ids(store);
            long ofFailedBatch = failedBatch.stream().filter(event -> ids.contains(event.id())).count();
            System.out.println("after the failure: " + count + " rows, " + ofFailedBatch + " of the failed batch");
            assertThat(count).isEqualTo(stored.size());
            assertThat(ofFailedBatch).isZero();

            Files.delete(ballast);
            // A different, small batch first: nothing of the failed one may come along with it.
            List<Event> next = batch(random, 1_000).subList(0, 3);
            int addedNext = store.append(next);
            Set<UUID> afterNext = ids(store);
            long leftOver = failedBatch.stream().filter(event -> afterNext.contains(event.id())).count();
            System.out.println("after freeing space: appended " + addedNext + " new events, " + afterNext.size()
                    + " rows, " + leftOver + " of the failed batch");
            assertThat(addedNext).isEqualTo(next.size());
            assertThat(afterNext).hasSize(stored.size() + next.size());
            assertThat(leftOver).isZero();

            int added = store.append(failedBatch);
            long after = store.count(EventQuery.all()).get(EventKind.ACTIVITY);
            System.out.println("the failed batch again: appended " + added + ", " + after + " rows");
            assertThat(added).isEqualTo(EVENTS_PER_BATCH);
            assertThat(after).isEqualTo(stored.size() + next.size() + EVENTS_PER_BATCH);
        }
        try (SqliteEventStore reopened = SqliteEventStore.open(db)) {
            assertThat(ids(reopened)).hasSize(stored.size() + 3 + EVENTS_PER_BATCH)
                    .containsAll(failedBatch.stream().map(Event::id).collect(Collectors.toList()));
        }
    }

    private static List<Event> batch(Random random, int round) {
        List<Event> batch = new ArrayList<>(EVENTS_PER_BATCH);
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            char[] text = new char[DESCRIPTION_CHARS];
            for (int c = 0; c < text.length; c++) {
                text[c] = (char) ('a' + random.nextInt(26));
            }
            batch.add(ActivityEvent.builder().activityType("fill").description(round + ":" + new String(text))
                    .attribute("round", (long) round).build());
        }
        return batch;
    }

    private static Set<UUID> ids(SqliteEventStore store) {
        try (Stream<Event> events = store.read(EventQuery.all())) {
            return events.map(Event::id).collect(Collectors.toSet());
        }
    }

    /** Runs a command; returns null when it succeeded, else what it printed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
    }
}
