package dev.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DualWriterTest {
    @TempDir
    Path dir;

    /** A backup that fails on every write: its directory was replaced by a plain file. */
    private JsonlEventStore brokenBackup() throws Exception {
        Path backupDir = dir.resolve("backup");
        JsonlEventStore backup = JsonlEventStore.open(backupDir);
        Files.delete(backupDir);
        Files.writeString(backupDir, "not a directory");
        return backup;
    }

    private static long total(DualWriter store) {
        return store.count(EventQuery.all()).values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aBackupFailingOnEveryWriteNeverFailsThePrimaryAndIsCounted() throws Exception {
        List<EventLogException> handled = new ArrayList<>();
        DualWriter store = DualWriter.of(JsonlEventStore.open(dir.resolve("primary")), brokenBackup(),
                DualWriter.Side.PRIMARY, (error, events) -> handled.add(error));

        try (EventLogger log = EventLogger.builder().store(store).failFast(true).build()) {
            for (Event event : SampleEvents.everyKind()) {
                log.log(event);
            }
            log.logAll(SampleEvents.activities(40, SampleEvents.T0.plusSeconds(60)));

            assertThat(total(store)).isEqualTo(50);
            assertThat(store.backupFailures()).isEqualTo(11);
            assertThat(handled).hasSize(11).allSatisfy(e -> assertThat(e).isInstanceOf(StoreException.class)
                    .hasMessageContaining("backup"));
            assertThat(log.metrics().failedBatches()).isZero();
            assertThat(log.metrics().stored()).isEqualTo(50);
        }
    }

    @Test
    void writesEveryEventToBothSidesAndReadsFromTheSideNamed() {
        DualWriter store = DualWriter.of(JsonlEventStore.open(dir.resolve("primary")),
                JsonlEventStore.open(dir.resolve("backup")));
        List<Event> events = SampleEvents.everyKind();
        store.append(events);
        store.backup().append(SampleEvents.activities(3, SampleEvents.T0.plusSeconds(50)));

        assertThat(store.readSide()).isEqualTo(DualWriter.Side.PRIMARY);
        assertThat(total(store)).isEqualTo(10);
        store.readFrom(DualWriter.Side.BACKUP);
        assertThat(total(store)).isEqualTo(13);
        try (Stream<Event> read = store.primary().read(EventQuery.all())) {
            assertThat(SampleEvents.sorted(read.toList())).isEqualTo(SampleEvents.sorted(events));
        }
        store.close();
    }

    @Test
    void aFailingPrimaryIsThrownAfterTheBackupHasTheEvents() throws Exception {
        JsonlEventStore backup = JsonlEventStore.open(dir.resolve("backup"));
        Path primaryDir = dir.resolve("primary");
        JsonlEventStore primary = JsonlEventStore.open(primaryDir);
        Files.delete(primaryDir);
        Files.writeString(primaryDir, "not a directory");
        DualWriter store = DualWriter.of(primary, backup);
        List<EventLogException> handled = new ArrayList<>();

        try (EventLogger log = EventLogger.builder().store(store).errorHandler((e, batch) -> handled.add(e)).build()) {
            log.logActivity(ActivityEvent.builder().activityType("deploy").description("to prod").build());

            assertThat(handled).hasSize(1);
            assertThat(log.metrics().failedBatches()).isEqualTo(1);
        }
        try (JsonlEventStore reopened = JsonlEventStore.open(dir.resolve("backup"));
                Stream<Event> read = reopened.read(EventQuery.all())) {
            assertThat(read.count()).isEqualTo(1);
        }
    }
}
