package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventLogger;
import dev.eventlog.LoggerMetrics;
import dev.eventlog.SpoolOptions;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.migrate.Reconciler;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault tests with real processes: child JVMs log into real SQLite files and are killed with
 * SIGKILL at random points, or run four at a time against one file. Each test prints the counts
 * it checks.
 */
class ProcessFaultTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final Random random = new Random();

    private static List<Event> readAll(EventStore store) {
        try (Stream<Event> events = store.read(EventQuery.all())) {
            return events.sorted(Comparator.comparing(Event::id)).collect(Collectors.toList());
        }
    }

    private static Set<UUID> ids(List<Event> events) {
        return events.stream().map(Event::id).collect(Collectors.toSet());
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + CHILD_TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    private static List<Path> segments(Path spool) throws Exception {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(spool)) {
            children.filter(p -> p.getFileName().toString().startsWith("segment-")).forEach(found::add);
        }
        Path wal = spool.resolve("wal");
        if (Files.isDirectory(wal)) {
            try (Stream<Path> children = Files.list(wal)) {
                children.forEach(found::add);
            }
        }
        return found;
    }

    private static Set<UUID> spooledIds(Path spool) throws Exception {
        Set<UUID> ids = new HashSet<>();
        for (Path segment : segments(spool)) {
            try (JsonlEventStore store = JsonlEventStore.open(segment)) {
                ids.addAll(ids(readAll(store)));
            }
        }
        return ids;
    }

    @Test
    void everyAcknowledgedEventSurvivesSigkillAndReconcilingMakesStoreAndJsonlAgree() throws Exception {
        Path db = dir.resolve("events.db");
        Path jsonl = dir.resolve("jsonl");
        int killAfter = 300 + random.nextInt(3_000);
        List<UUID> acked;
        try (ChildJvm child = ChildJvm.start(dir.resolve("child.err"), "dual", db.toString(), jsonl.toString())) {
            child.awaitAcks(killAfter, CHILD_TIMEOUT);
            child.kill();
            acked = child.acks();
        }

        try (SqliteEventStore store = SqliteEventStore.open(db); JsonlEventStore backup = JsonlEventStore.open(jsonl)) {
            Set<UUID> inStore = ids(readAll(store));
            List<Event> inJsonl = readAll(backup);
            System.out.printf("[sigkill+dual] killed after %d acks: acked=%d store=%d jsonl=%d torn jsonl files=%d%n",
                    killAfter, acked.size(), inStore.size(), inJsonl.size(), backup.tornFiles().size());
            assertThat(inStore).containsAll(acked);
            assertThat(ids(inJsonl)).containsAll(inStore);

            // Reconcile: the backup is written first, so it may hold events the store never committed.
            long missing = inJsonl.stream().filter(e -> !inStore.contains(e.id())).count();
            MigrationReport report = Reconciler.builder().backup(jsonl).target(store).build().run();
            List<Event> storeAfter = readAll(store);
            System.out.printf("[sigkill+dual] reconcile: read=%d added=%d already present=%d rejected (torn)=%d;"
                    + " store=%d jsonl=%d%n", report.totals().read(), report.totals().imported(),
                    report.totals().alreadyPresent(), report.totals().rejected(), storeAfter.size(), inJsonl.size());
            assertThat(report.totals().imported()).isEqualTo(missing);
            assertThat(storeAfter).containsExactlyElementsOf(inJsonl);
        }
    }

    @Test
    void fourProcessesAppendingToOneFileStoreEveryEventOnceAndNoBusyErrorReachesACaller() throws Exception {
        Path db = dir.resolve("shared.db");
        SqliteEventStore.open(db).close();
        Path start = dir.resolve("start");
        int perProcess = 2_500;
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                children.add(ChildJvm.start(dir.resolve("child-" + i + ".err"), "writer", db.toString(),
                        start.toString(), Integer.toString(perProcess)));
            }
            for (ChildJvm child : children) {
                child.awaitLine("READY", CHILD_TIMEOUT);
            }
            Files.createFile(start);
            List<UUID> acked = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (ChildJvm child : children) {
                assertThat(child.waitFor(CHILD_TIMEOUT)).isZero();
                acked.addAll(child.acks());
                child.lines().stream().filter(l -> l.startsWith("FAILURE")).forEach(failures::add);
                assertThat(child.lines()).contains("DONE failures=0");
            }
            try (SqliteEventStore store = SqliteEventStore.open(db)) {
                List<Event> stored = readAll(store);
                System.out.printf("[4 processes] acked=%d stored=%d distinct=%d failures reported=%d%n", acked.size(),
                        stored.size(), ids(stored).size(), failures.size());
                assertThat(failures).isEmpty();
                assertThat(acked).hasSize(4 * perProcess).doesNotHaveDuplicates();
                assertThat(stored).hasSize(4 * perProcess);
                assertThat(ids(stored)).containsExactlyInAnyOrderElementsOf(acked);
            }
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    @Test
    void aSpoolLeftByAKilledProcessIsReplayedByTheNextOneExactlyOnce() throws Exception {
        Path db = dir.resolve("events.db");
        Path spool = dir.resolve("spool");
        SqliteEventStore.open(db).close();
        int killAfter = 200 + random.nextInt(2_000);
        List<UUID> acked;
        // Another process holds the database's write lock: every append of the child fails with SQLITE_BUSY.
        try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = lock.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try (ChildJvm child = ChildJvm.start(dir.resolve("child.err"), "spool", db.toString(), spool.toString())) {
                child.awaitAcks(killAfter, CHILD_TIMEOUT);
                child.kill();
                acked = child.acks();
            }
            statement.execute("ROLLBACK");
        }
        Set<UUID> spooled = spooledIds(spool);
        System.out.printf("[spool after sigkill] killed after %d acks: acked=%d spooled=%d segments=%d%n", killAfter,
                acked.size(), spooled.size(), segments(spool).size());
        assertThat(spooled).containsAll(acked);

        SpoolOptions options = SpoolOptions.builder(spool).retryInterval(Duration.ofMillis(100)).build();
        LoggerMetrics first;
        try (EventLogger next = EventLogger.builder().store(SqliteEventStore.open(db)).spool(options).build()) {
            await("replaying the spool", () -> next.metrics().spoolBytes() == 0);
            first = next.metrics();
        }
        LoggerMetrics second;
        try (EventLogger again = EventLogger.builder().store(SqliteEventStore.open(db)).spool(options).build()) {
            again.flush();
            second = again.metrics();
        }
        try (SqliteEventStore store = SqliteEventStore.open(db)) {
            List<Event> stored = readAll(store);
            System.out.printf("[spool after sigkill] next process replayed=%d stored new=%d; the one after replayed=%d;"
                    + " rows=%d distinct=%d%n", first.replayed(), first.stored(), second.replayed(), stored.size(),
                    ids(stored).size());
            assertThat(first.replayed()).isEqualTo(spooled.size());
            assertThat(first.stored()).isEqualTo(spooled.size());
            assertThat(second.replayed()).isZero();
            assertThat(ids(stored)).containsExactlyInAnyOrderElementsOf(spooled);
            assertThat(stored).hasSize(spooled.size());
            assertThat(segments(spool)).isEmpty();
        }
    }

    @Test
    void writeAheadFilesLetTheNextProcessRecoverEveryAcknowledgedAsyncEvent() throws Exception {
        Path db = dir.resolve("events.db");
        Path spool = dir.resolve("spool");
        SqliteEventStore.open(db).close();
        int killAfter = 2_000 + random.nextInt(20_000);
        List<UUID> acked;
        try (ChildJvm child = ChildJvm.start(dir.resolve("child.err"), "ahead", db.toString(), spool.toString())) {
            child.awaitAcks(killAfter, CHILD_TIMEOUT);
            child.kill();
            acked = child.acks();
        }
        int committedBeforeCrash;
        try (SqliteEventStore store = SqliteEventStore.open(db)) {
            committedBeforeCrash = readAll(store).size();
        }
        Set<UUID> leftAhead = spooledIds(spool);
        LoggerMetrics recovery;
        try (EventLogger next = EventLogger.builder().store(SqliteEventStore.open(db))
                .spool(SpoolOptions.builder(spool).build()).build()) {
            await("replaying the write-ahead files", () -> next.metrics().spoolBytes() == 0);
            recovery = next.metrics();
        }
        try (SqliteEventStore store = SqliteEventStore.open(db)) {
            List<Event> stored = readAll(store);
            System.out.printf("[write-ahead after sigkill] killed after %d acks: acked=%d committed before the kill=%d"
                    + " in write-ahead files=%d replayed=%d of them new=%d rows now=%d%n", killAfter, acked.size(),
                    committedBeforeCrash, leftAhead.size(), recovery.replayed(), recovery.stored(), stored.size());
            assertThat(ids(stored)).containsAll(acked);
            assertThat(stored).hasSize(ids(stored).size());
            assertThat(stored.size()).isEqualTo(committedBeforeCrash + (int) recovery.stored());
            assertThat(segments(spool)).isEmpty();
        }
    }
}
