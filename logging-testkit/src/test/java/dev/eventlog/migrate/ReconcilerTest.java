package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.ConfigurationException;
import dev.eventlog.DualWriter;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {
    @TempDir
    Path dir;

    @Test
    void replaysExactlyTheBackupEventsTheStoreIsMissing() {
        List<Event> events = SampleEvents.everyKind();
        Path backupDir = dir.resolve("backup");
        try (JsonlEventStore store = JsonlEventStore.open(dir.resolve("store"))) {
            try (JsonlEventStore backup = JsonlEventStore.open(backupDir)) {
                DualWriter.of(store, backup).append(events.subList(0, 6));
                // The primary was down for these: only the backup has them.
                backup.append(events.subList(6, 10));
            }

            MigrationReport first = Reconciler.builder().backup(backupDir).target(store).build().run();
            MigrationReport second = Reconciler.builder().backup(backupDir).target(store).build().run();

            assertThat(first.operation()).isEqualTo("reconcile");
            assertThat(first.totals()).isEqualTo(new KindTally(10, 4, 6, 0));
            assertThat(first.contentCheck().identical()).isEqualTo(10);
            assertThat(second.totals()).isEqualTo(new KindTally(10, 0, 10, 0));
            assertThat(store.count(EventQuery.all()).values()).containsOnly(1L);
        }
    }

    @Test
    void countsATornLastBackupLineAsRejectedAndReplaysTheRest() throws Exception {
        Path backupDir = dir.resolve("backup");
        try (JsonlEventStore backup = JsonlEventStore.open(backupDir)) {
            backup.append(SampleEvents.everyKind().subList(0, 1));
        }
        Files.writeString(backupDir.resolve(EventKind.GIT.fileName()), "{\"id\": \"0192", StandardOpenOption.APPEND);

        try (JsonlEventStore store = JsonlEventStore.open(dir.resolve("store"))) {
            MigrationReport report = Reconciler.builder().backup(backupDir).target(store).build().run();

            assertThat(report.kinds().get(EventKind.GIT)).isEqualTo(new KindTally(1, 1, 0, 1));
        }
    }

    @Test
    void refusesABackupThatIsNoDirectoryOfJsonlFiles() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        try (JsonlEventStore store = JsonlEventStore.open(dir.resolve("store"))) {
            assertThatThrownBy(() -> Reconciler.builder().backup(dir.resolve("missing")).target(store).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("backup was '" + dir.resolve("missing") + "' but it must be an existing "
                            + "directory of JSONL files");
            assertThatThrownBy(() -> Reconciler.builder().backup(empty).target(store).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("but it must hold at least one of git-activity.jsonl");
        }
    }
}
