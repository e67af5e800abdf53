package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.migrate.DualReadValidator;
import dev.eventlog.migrate.Importer;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.Retention;
import dev.eventlog.migrate.RetentionReport;
import dev.eventlog.migrate.VerifyReport;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention of a partitioned PostgreSQL store run in a child JVM and killed with SIGKILL (README,
 * "Retention: archive, then drop"): re-running finishes the job and no event is lost or archived twice.
 */
class PostgresRetentionKillTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** 180 days before this is 2026-03-19: January and February lie before the cut, March straddles it. */
    static final Instant NOW = Instant.parse("2026-09-15T00:00:00Z");
    static final Instant CUT = NOW.minus(Duration.ofDays(180));

    @TempDir
    Path dir;

    private List<Event> old;
    private List<Event> young;

    /** A partitioned store holding 60 000 old activity events over three months and 2 000 younger ones. */
    private String store() {
        String url = db.url(db.newSchemaName());
        old = new ArrayList<>();
        old.addAll(SampleEvents.activities(25_000, Instant.parse("2026-01-03T00:00:00Z")));
        old.addAll(SampleEvents.activities(25_000, Instant.parse("2026-02-03T00:00:00Z")));
        old.addAll(SampleEvents.activities(10_000, Instant.parse("2026-03-10T00:00:00Z")));
        young = new ArrayList<>(SampleEvents.activities(1_000, Instant.parse("2026-03-25T00:00:00Z")));
        young.addAll(SampleEvents.activities(1_000, Instant.parse("2026-08-01T00:00:00Z")));
        try (PostgresEventStore store = PostgresEventStore.open(url,
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            for (int i = 0; i < old.size(); i += 5_000) {
                store.append(old.subList(i, i + 5_000));
            }
            store.append(young);
            store.maintainPartitions();
        }
        return url;
    }

    @Test
    void aRetentionKilledAtRandomPointsSeveralTimesIsFinishedByARerunWithEveryOldEventArchivedOnce()
            throws Exception {
        String url = store();
        Path archive = dir.resolve("archive");
        Path archived = archive.resolve(EventKind.ACTIVITY.fileName());
        Set<UUID> oldIds = old.stream().map(Event::id).collect(Collectors.toSet());
        Random random = new Random(15);
        int killedRunning = 0;
        for (int kill = 0; kill < 4; kill++) {
            // Alternately while it archives and while it removes, at a random point after the phase began.
            String phase = kill % 2 == 0 ? "archiving activity" : "removing activity";
            long delayMs = kill % 2 == 0 ? random.nextInt(400) : random.nextInt(60);
            Path out = Files.createTempFile(dir, "child", ".out");
            Process child = child(url, archive.toString(), "dir", out);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline && child.isAlive() && !Files.readString(out).contains(phase)) {
                Thread.sleep(1);
            }
            if (!child.waitFor(delayMs, TimeUnit.MILLISECONDS)) {
                killedRunning++;
            }
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            // Whatever the point: every old event is still in the store or in the archive, and only young ones are
            // in the store besides.
            Set<UUID> inStore = ids(url);
            Set<UUID> inArchive = Files.exists(archived) ? new HashSet<>(archivedIds(archived)) : Set.of();
            for (UUID id : oldIds) {
                assertThat(inStore.contains(id) || inArchive.contains(id))
                        .as("old event %s after kill %d, %d ms into %s, is neither in the store nor archived", id,
                                kill, delayMs, phase)
                        .isTrue();
            }
            assertThat(inStore).containsAll(young.stream().map(Event::id).toList());
        }
        assertThat(killedRunning).as("runs killed while they ran").isGreaterThanOrEqualTo(2);

        try (PostgresEventStore store = PostgresEventStore.open(url)) {
            Retention.run(store, plan(archive, null), MigrationListener.NONE);
            try (Stream<Event> events = store.read(EventQuery.all())) {
                assertThat(events.toList()).containsExactlyElementsOf(SampleEvents.sorted(young));
            }
        }
        List<UUID> lines = archivedIds(archived);
        assertThat(lines).hasSize(old.size());
        assertThat(new HashSet<>(lines)).isEqualTo(oldIds);
        assertImportsBackAs(archive, old);
    }

    @Test
    void anArchiveFileRunKilledMidArchiveLeavesNoFileUnderItsNameAndRemovesNothing() throws Exception {
        String url = store();
        Path file = dir.resolve("old-events.jsonl.gz");
        Path temp = dir.resolve(".old-events.jsonl.gz.retention-tmp");
        Process child = child(url, file.toString(), "file", Files.createTempFile(dir, "child", ".out"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && child.isAlive() && !Files.exists(temp)) {
            Thread.sleep(2);
        }
        assertThat(child.isAlive()).as("the run still writes its archive").isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(file).doesNotExist();
        assertThat(ids(url)).hasSize(old.size() + young.size());

        RetentionReport report;
        try (PostgresEventStore store = PostgresEventStore.open(url)) {
            report = Retention.run(store, plan(null, file), MigrationListener.NONE);
            try (Stream<Event> events = store.read(EventQuery.all())) {
                assertThat(events.toList()).containsExactlyElementsOf(SampleEvents.sorted(young));
            }
        }
        assertThat(temp).doesNotExist();
        assertThat(report.kinds().get(0).changes()).contains("dropped partition activity_events_p20260101 (25000 row(s))",
                "dropped partition activity_events_p20260201 (25000 row(s))");
        VerifyReport back = assertImportsBackAs(file, old);
        assertThat(back.kinds().stream().filter(k -> k.kind() == EventKind.ACTIVITY).findFirst().orElseThrow()
                .targetDigest()).isEqualTo(report.kinds().get(0).digest());
    }

    private VerifyReport assertImportsBackAs(Path archive, List<Event> expectedEvents) {
        try (JsonlEventStore imported = JsonlEventStore.open(dir.resolve("imported"));
                JsonlEventStore expected = JsonlEventStore.open(dir.resolve("expected"))) {
            assertThat(Importer.builder().target(imported).input(archive).stateDirectory(dir.resolve("state")).build()
                    .run().ok()).isTrue();
            expected.append(expectedEvents);
            VerifyReport same = DualReadValidator.compare(expected, imported);
            assertThat(same.identical()).as("the archive imports back as the old events").isTrue();
            return same;
        }
    }

    private Process child(String url, String archive, String form, Path out) throws IOException {
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), RetentionChild.class.getName(), url,
                archive, form, NOW.toString()))
                .redirectError(Files.createTempFile(dir, "child", ".err").toFile())
                .redirectOutput(out.toFile()).start();
    }

    private static Set<UUID> ids(String url) {
        try (PostgresEventStore store = PostgresEventStore.open(url);
                Stream<Event> events = store.read(EventQuery.all())) {
            return events.map(Event::id).collect(Collectors.toSet());
        }
    }

    private static List<UUID> archivedIds(Path file) throws IOException {
        List<UUID> ids = new ArrayList<>();
        try (JsonlReader reader = JsonlReader.openInput(file, null, KeyAliases.builtIn(),
                JsonlReader.DEFAULT_MAX_LINE_BYTES, 0)) {
            for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                assertThat(line.event()).as("line %d of %s: %s", line.number(), file, line.rejection()).isNotNull();
                ids.add(line.event().id());
            }
        }
        return ids;
    }

    static Retention.Plan plan(Path archive, Path archiveFile) {
        return new Retention.Plan(Map.of(EventKind.ACTIVITY, Duration.ofDays(180)), archive, false, false, NOW,
                archiveFile);
    }

    /**
     * The program the kill tests run in a child JVM: retention of the store {@code args[0]} into the archive
     * {@code args[1]}, a directory when {@code args[2]} is {@code dir}, else a file, at the time {@code args[3]};
     * it prints each phase on stdout as it begins.
     */
    public static final class RetentionChild {
        private RetentionChild() {
        }

        public static void main(String[] args) {
            Path archive = Path.of(args[1]);
            boolean directory = args[2].equals("dir");
            try (PostgresEventStore store = PostgresEventStore.open(args[0])) {
                Retention.run(store, new Retention.Plan(Map.of(EventKind.ACTIVITY, Duration.ofDays(180)),
                        directory ? archive : null, false, false, Instant.parse(args[3]), directory ? null : archive),
                        new MigrationListener() {
                            @Override
                            public void phase(String name, long total) {
                                // The test kills this process at a random point after a phase begins.
                                System.out.println(name);
                                System.out.flush();
                            }
                        });
            }
        }
    }
}
