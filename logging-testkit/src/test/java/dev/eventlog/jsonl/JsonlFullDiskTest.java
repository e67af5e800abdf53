package dev.eventlog.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.ActivityEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JSONL batch on a full disk — a real 1 MiB tmpfs — is all or nothing: the files hold exactly
 * the lines they held before, with no half batch and no torn line, the error names the file and
 * the cause, and once space is freed the same batch goes in whole.
 */
class JsonlFullDiskTest {
    @TempDir
    Path dir;

    private Path disk;
    private boolean mounted;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = Files.createDirectory(dir.resolve("disk"));
        String why = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString());
        Assumptions.assumeTrue(why == null, () -> "skipped: cannot mount a 1 MiB tmpfs to fill (needs root): " + why);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            String why = run("umount", disk.toString());
            assertThat(why).as("umount").isNull();
        }
    }

    /** Runs a command; {@code null} when it succeeded, else what it printed and its exit code. */
    private static String run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.toString();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        return process.exitValue() == 0 ? null : output + " (exit " + process.exitValue() + ")";
    }

    private static List<Event> read(JsonlEventStore store) {
        try (Stream<Event> events = store.read(EventQuery.all())) {
            return events.collect(Collectors.toList());
        }
    }

    @Test
    void aBatchThatDoesNotFitLeavesEveryFileAsItWasAndGoesInWholeOnceSpaceIsFree() throws Exception {
        Path filler = disk.resolve("filler");
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'f');
        try (var out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 11; i++) {
                out.write(block);
            }
        }
        try (JsonlEventStore store = JsonlEventStore.open(disk.resolve("store"))) {
            List<Event> earlier = new ArrayList<>(SampleEvents.activities(5, SampleEvents.T0));
            earlier.add(GitEvent.builder().ts(SampleEvents.T0).eventType("push").repo("r").commits(1).build());
            store.append(earlier);
            byte[] activityBefore = Files.readAllBytes(store.file(EventKind.ACTIVITY));
            byte[] gitBefore = Files.readAllBytes(store.file(EventKind.GIT));

            // Git lines first (they fit), then 400 KiB of activity lines (they do not): both files roll back.
            List<Event> batch = new ArrayList<>();
            Instant t = SampleEvents.T0.plusSeconds(1_000);
            for (int i = 0; i < 20; i++) {
                batch.add(GitEvent.builder().ts(t.plusSeconds(i)).eventType("commit").repo("r").message("m" + i).build());
            }
            String kib = "x".repeat(1024);
            for (int i = 0; i < 400; i++) {
                batch.add(ActivityEvent.builder().ts(t.plusSeconds(i)).activityType("big").description(kib + i).build());
            }

            assertThatThrownBy(() -> store.append(batch))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(store.file(EventKind.ACTIVITY).toString())
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining("the batch was not written");

            byte[] activityAfter = Files.readAllBytes(store.file(EventKind.ACTIVITY));
            byte[] gitAfter = Files.readAllBytes(store.file(EventKind.GIT));
            System.out.printf("after the failed batch: activity %d bytes (before %d), git %d bytes (before %d)%n",
                    activityAfter.length, activityBefore.length, gitAfter.length, gitBefore.length);
            assertThat(activityAfter).isEqualTo(activityBefore);
            assertThat(gitAfter).isEqualTo(gitBefore);
            assertThat(SampleEvents.sorted(read(store))).containsExactlyElementsOf(SampleEvents.sorted(earlier));

            Files.delete(filler);
            int added = store.append(batch);

            List<Event> expected = new ArrayList<>(earlier);
            expected.addAll(batch);
            List<Event> all = read(store);
            System.out.printf("after freeing space: added %d, the store holds %d events%n", added, all.size());
            assertThat(added).isEqualTo(batch.size());
            assertThat(SampleEvents.sorted(all)).containsExactlyElementsOf(SampleEvents.sorted(expected));
            assertThat(Files.readAllLines(store.file(EventKind.ACTIVITY))).hasSize(405);
        }
        try (JsonlEventStore reopened = JsonlEventStore.open(disk.resolve("store"))) {
            assertThat(reopened.tornFiles()).isEmpty();
            assertThat(read(reopened)).hasSize(426);
        }
    }
}
