package dev.eventlog.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line counts stay exact when the table spills to runs on disk, and leave no file behind. */
class LongCountsTest {
    @TempDir
    Path spillDir;

    @Test
    void countsEveryKeyExactlyAcrossSpilledRuns() throws IOException {
        Random random = new Random(11);
        Map<Long, Integer> expected = new HashMap<>();
        long[] repeated = new long[50];
        for (int i = 0; i < repeated.length; i++) {
            repeated[i] = random.nextLong();
        }
        try (LongCounts counts = new LongCounts(100, spillDir)) {
            for (int i = 0; i < 20_000; i++) {
                // Mostly new keys, some repeated often, some repeated long after they were spilled.
                long key = switch (i % 10) {
                    case 0, 1 -> repeated[random.nextInt(repeated.length)];
                    case 2 -> i > 1_000 ? (long) random.nextInt(i / 10) * 7919 : random.nextLong();
                    default -> random.nextLong();
                };
                int before = expected.getOrDefault(key, 0);
                assertThat(counts.getAndIncrement(key)).as("count of key %d at step %d", key, i).isEqualTo(before);
                expected.put(key, before + 1);
            }
            assertThat(counts.runs()).isGreaterThan(100);
            try (Stream<Path> files = Files.list(spillDir)) {
                assertThat(files.count()).as("spilled runs on disk").isEqualTo(counts.runs());
            }
        }
        try (Stream<Path> files = Files.list(spillDir)) {
            assertThat(files).as("files left behind").isEmpty();
        }
    }
}
