package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.ActivityEvent;
import dev.eventlog.Event;
import dev.eventlog.jsonl.JsonlEventStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content check gives the same answer whether it keeps every id in memory or spills them to
 * sorted runs on disk, and leaves no file behind.
 */
class ContentCheckerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void spilledRunsGiveTheSameCheckAsTheTableInMemory() throws IOException {
        Random random = new Random(7);
        List<Event> sent = new ArrayList<>();
        List<Event> stored = new ArrayList<>();
        List<UUID> differing = new ArrayList<>();
        List<UUID> missing = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            // Random ids, so that the runs' order is not the order of sending.
            UUID id = new UUID(random.nextLong(), random.nextLong());
            Event event = activity(id, i, "step " + i);
            sent.add(event);
            if (i % 500 == 7) {
                missing.add(id);
            } else if (i % 700 == 3) {
                differing.add(id);
                stored.add(activity(id, i, "changed " + i));
            } else {
                stored.add(event);
            }
            if (i % 900 == 5) {
                // The same id sent again with other content: the first fingerprint counts.
                sent.add(activity(id, i, "a later copy " + i));
            }
        }
        // A stored event that was never sent is not the check's business.
        stored.add(activity(new UUID(random.nextLong(), random.nextLong()), 10, "not sent"));
        Path spill = Files.createDirectory(dir.resolve("spill"));

        try (JsonlEventStore target = JsonlEventStore.open(dir.resolve("target"))) {
            target.append(stored);
            ContentCheck inMemory = check(new ContentChecker(target, ContentChecker.DEFAULT_SPILL_AT, spill), sent, target, spill);
            ContentCheck spilled = check(new ContentChecker(target, 64, spill), sent, target, spill);

            assertThat(inMemory.checked()).isEqualTo(3_000);
            assertThat(inMemory.differing()).isEqualTo(differing.size());
            assertThat(inMemory.missing()).isEqualTo(missing.size());
            assertThat(inMemory.identical()).isEqualTo(3_000 - differing.size() - missing.size());
            assertThat(spilled.checked()).isEqualTo(inMemory.checked());
            assertThat(spilled.identical()).isEqualTo(inMemory.identical());
            assertThat(spilled.differing()).isEqualTo(inMemory.differing());
            assertThat(spilled.missing()).isEqualTo(inMemory.missing());
            assertThat(spilled.firstDiffering()).containsExactlyInAnyOrderElementsOf(differing);
            assertThat(inMemory.firstDiffering()).containsExactlyInAnyOrderElementsOf(differing);
            assertThat(spilled.firstMissing()).containsExactlyInAnyOrderElementsOf(missing);
            assertThat(inMemory.firstMissing()).containsExactlyInAnyOrderElementsOf(missing);
        }
        // The spilled check wrote its runs there (it would not be comparing spilled runs otherwise), and deleted them.
        assertThat(spillFilesWritten).isPositive();
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left).isEmpty();
        }
    }

    /** The files in the spill directory just before the last checker was closed. */
    private long spillFilesWritten;

    private ContentCheck check(ContentChecker checker, List<Event> sent, JsonlEventStore target, Path spill)
            throws IOException {
        try (checker) {
            sent.forEach(checker::add);
            ContentCheck check = checker.check(target, MigrationListener.NONE);
            try (Stream<Path> files = Files.list(spill)) {
                spillFilesWritten = files.filter(f -> f.getFileName().toString().startsWith("eventlog-check-")).count();
            }
            return check;
        }
    }

    private static Event activity(UUID id, int second, String description) {
        return ActivityEvent.builder().id(id).ts(T0.plusSeconds(second)).activityType("step")
                .description(description).build();
    }
}
