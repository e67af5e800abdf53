package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress file is saved when asked, at most once a second otherwise, and always by a flush:
 * what is saved is always the last batch recorded before the save, never a later one.
 */
class ImportProgressTest {
    @TempDir
    Path dir;

    @Test
    void batchesRecordedWithinASecondAreSavedByTheNextFlushOrForcedRecord() throws IOException {
        Path file = dir.resolve("progress.json");
        Path input = dir.resolve("activity.jsonl");
        long[] now = {0};
        ImportProgress progress = ImportProgress.load(file, () -> now[0]);

        progress.record("sqlite:t", input, "activity", 100, 100, "aa", null, null, true);
        assertThat(ImportProgress.load(file).get("sqlite:t", input, "activity").resumeAt()).isEqualTo(100);

        // Recorded within a second of the last save: not saved yet (a process killed now re-reads from 100).
        now[0] += 900_000_000L;
        progress.record("sqlite:t", input, "activity", 200, 200, "bb", null, null, false);
        progress.record("sqlite:t", input, "activity", 300, 300, "cc", null, null, false);
        assertThat(ImportProgress.load(file).get("sqlite:t", input, "activity").resumeAt()).isEqualTo(100);

        progress.flush();
        ImportProgress.Entry saved = ImportProgress.load(file).get("sqlite:t", input, "activity");
        assertThat(saved.resumeAt()).isEqualTo(300);
        assertThat(saved.sha256()).isEqualTo("cc");

        progress.record("sqlite:t", input, "activity", 400, 400, "dd", null, null, false);
        progress.record("sqlite:t", input, "activity", 500, 500, "ee", null, null, true);
        assertThat(ImportProgress.load(file).get("sqlite:t", input, "activity").resumeAt()).isEqualTo(500);
        // Nothing new since the last save: a flush writes nothing (the file is left as it is).
        Files.delete(file);
        progress.flush();
        assertThat(file).doesNotExist();
    }

    @Test
    void aBatchRecordedASecondAfterTheLastSaveIsSavedAtOnce() throws IOException {
        Path file = dir.resolve("progress.json");
        Path input = dir.resolve("activity.jsonl");
        long[] now = {0};
        ImportProgress progress = ImportProgress.load(file, () -> now[0]);
        progress.record("sqlite:t", input, "activity", 100, 100, "aa", null, null, true);

        now[0] += ImportProgress.SAVE_EVERY_MILLIS * 1_000_000L;
        progress.record("sqlite:t", input, "activity", 200, 200, "bb", null, null, false);

        assertThat(ImportProgress.load(file).get("sqlite:t", input, "activity").resumeAt()).isEqualTo(200);
    }
}
