package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jdbc.ColumnPlan;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches large enough for the multi-row inserts, with repeated and known ids among them. */
class SqliteLargeBatchTest {
    @TempDir
    Path dir;

    @Test
    void aLargeBatchWithRepeatedAndKnownIdsStoresEachEventOnceAndCountsOnlyNewOnes() {
        List<Event> events = SampleEvents.activities(1_000, SampleEvents.T0);
        List<Event> everyKind = SampleEvents.everyKind();
        List<Event> batch = new ArrayList<>(events.subList(0, 700));
        // Ids repeated inside the batch, in the same and in different multi-row groups.
        batch.add(events.get(3));
        batch.addAll(events.subList(100, 190));
        batch.addAll(everyKind);
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("events.db"))) {
            store.append(events.subList(650, 1_000));

            int added = store.append(batch);

            assertThat(added).isEqualTo(650 + everyKind.size());
            List<Event> expected = new ArrayList<>(events);
            expected.addAll(everyKind);
            try (Stream<Event> read = store.read(EventQuery.all())) {
                assertThat(SampleEvents.sorted(read.collect(Collectors.toList())))
                        .containsExactlyElementsOf(SampleEvents.sorted(expected));
            }
        }
    }

    @Test
    void batchesOfEverySizeAroundTheGroupSizesAreStoredWhole() {
        int large = SqliteInserter.largeRows(ColumnPlan.of(EventKind.ACTIVITY));
        int small = SqliteInserter.SMALL_ROWS;
        int[] sizes = {1, small - 1, small, small + 1, large - 1, large, large + 1, large + small + 3, 2 * large + 5};
        int total = 0;
        for (int size : sizes) {
            total += size;
        }
        List<Event> events = SampleEvents.activities(total, SampleEvents.T0);
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("sizes.db"))) {
            int from = 0;
            for (int size : sizes) {
                List<Event> batch = events.subList(from, from + size);
                assertThat(store.append(batch)).as("batch of %d", size).isEqualTo(size);
                assertThat(store.append(batch)).as("batch of %d again", size).isZero();
                from += size;
            }
            try (Stream<Event> read = store.read(EventQuery.all())) {
                assertThat(SampleEvents.sorted(read.collect(Collectors.toList())))
                        .containsExactlyElementsOf(SampleEvents.sorted(events));
            }
        }
    }
}
