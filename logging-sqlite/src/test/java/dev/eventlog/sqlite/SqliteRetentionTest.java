package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.migrate.DualReadValidator;
import dev.eventlog.migrate.Importer;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.Retention;
import dev.eventlog.migrate.RetentionReport;
import dev.eventlog.migrate.VerifyReport;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a SQLite file, killed with SIGKILL mid-run and finished by a rerun (README, "Retention"). */
class SqliteRetentionTest {
    static final Instant NOW = Instant.parse("2026-09-01T00:00:00Z");
    static final Instant OLD = NOW.minus(Duration.ofDays(400));

    @TempDir
    Path dir;

    @Test
    void aRunKilledAfterItsArchiveIsWrittenIsFinishedByARerunWithoutLoss() throws Exception {
        Path file = dir.resolve("events.db");
        List<Event> old = SampleEvents.activities(60_000, OLD);
        List<Event> young = SampleEvents.activities(100, NOW.minus(Duration.ofDays(10)));
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            for (int i = 0; i < old.size(); i += 5_000) {
                store.append(old.subList(i, i + 5_000));
            }
            store.append(young);
        }
        Path archive = dir.resolve("archive");
        Path archived = archive.resolve(EventKind.ACTIVITY.fileName());
        Path stderr = dir.resolve("child.err");
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), RetentionChild.class.getName(),
                "sqlite:" + file, archive.toString(), NOW.toString()))
                .redirectError(stderr.toFile()).redirectOutput(dir.resolve("child.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && child.isAlive() && !Files.exists(archived)) {
            Thread.sleep(2);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(archived).as("child stderr: %s", Files.readString(stderr)).exists();
        long left;
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            left = store.count(new EventQuery(java.util.Set.of(EventKind.ACTIVITY), null, NOW.minus(Duration.ofDays(180))))
                    .get(EventKind.ACTIVITY);
        }
        assertThat(left).as("killed before the removal finished").isPositive();

        RetentionReport rerun;
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            rerun = Retention.run(store, plan(archive), MigrationListener.NONE);
            try (Stream<Event> events = store.read(EventQuery.all())) {
                assertThat(events.toList()).containsExactlyElementsOf(young);
            }
        }
        assertThat(rerun.removed()).isEqualTo(left);
        assertThat(Files.readAllLines(archived)).hasSize(old.size());
        try (JsonlEventStore imported = JsonlEventStore.open(dir.resolve("imported"));
                JsonlEventStore expected = JsonlEventStore.open(dir.resolve("expected"))) {
            assertThat(Importer.builder().target(imported).input(archive).stateDirectory(dir.resolve("state")).build()
                    .run().ok()).isTrue();
            expected.append(old);
            VerifyReport same = DualReadValidator.compare(expected, imported);
            assertThat(same.identical()).isTrue();
        }
    }

    static Retention.Plan plan(Path archive) {
        return new Retention.Plan(Map.of(EventKind.ACTIVITY, Duration.ofDays(180)), archive, false, false, NOW);
    }

    /** The program the kill test runs in a child JVM: retention of {@code args[0]} into {@code args[1]} at {@code args[2]}. */
    public static final class RetentionChild {
        private RetentionChild() {
        }

        public static void main(String[] args) {
            try (SqliteEventStore store = SqliteEventStore.open(Path.of(args[0].substring("sqlite:".length())))) {
                Retention.run(store, new Retention.Plan(Map.of(EventKind.ACTIVITY, Duration.ofDays(180)),
                        Path.of(args[1]), false, false, Instant.parse(args[2])), MigrationListener.NONE);
            }
        }
    }
}
