package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void theBackgroundCheckpointerMovesTheWalIntoTheDatabaseAndKeepsItBounded() throws Exception {
        Path file = dir.resolve("events.db");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            long before = Files.size(file);
            // Single-event appends, as a sync logger makes them; none of them checkpoints itself.
            for (Event event : SampleEvents.activities(3_000, SampleEvents.T0)) {
                store.append(List.of(event));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Files.size(file) <= before + 100_000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.printf("database file: %d bytes before, %d after; WAL %d bytes%n", before, Files.size(file),
                    Files.size(dir.resolve("events.db-wal")));
            assertThat(Files.size(file)).isGreaterThan(before + 100_000);
            // About 18 KiB of WAL per single-event commit: 54 MiB if the log never started over.
            assertThat(Files.size(dir.resolve("events.db-wal"))).isLessThan(40L << 20);
        }
    }

    /**
     * A store that gets one commit now and then (a service answering hooks) adds each to the log
     * it has: starting the log over costs a sync of its header in that commit. The log's header
     * (its checkpoint sequence and salts, which a new start changes) stays the same across single
     * appends with quiet rounds of the checkpointer between them; each event is read back.
     */
    @Test
    void aQuietStoreAddsEachCommitToItsLogInsteadOfStartingTheLogOverForEach() throws Exception {
        Path file = dir.resolve("events.db");
        List<Event> events = SampleEvents.activities(4, SampleEvents.T0);
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            store.append(List.of(events.get(0)));
            byte[] header = walHeader();
            for (Event event : events.subList(1, events.size())) {
                Thread.sleep(3 * Checkpointer.INTERVAL_MILLIS);
                store.append(List.of(event));
                assertThat(walHeader()).as("the log's header after a quiet pause and one more commit")
                        .isEqualTo(header);
            }
            try (var stored = store.read(dev.eventlog.spi.EventQuery.all())) {
                assertThat(stored.count()).isEqualTo(events.size());
            }
        }
    }

    private byte[] walHeader() throws java.io.IOException {
        return Arrays.copyOfRange(Files.readAllBytes(dir.resolve("events.db-wal")), 12, 24);
    }
}
