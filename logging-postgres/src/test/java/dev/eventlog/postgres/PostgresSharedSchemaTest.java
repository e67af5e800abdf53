package dev.eventlog.postgres;

import dev.eventlog.testkit.TestDatabase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several application instances logging into one schema, as on a shared database. */
class PostgresSharedSchemaTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void twoStoresOpenedTogetherOnANewSchemaFromTwoThreadsKeepEveryEventOnce() throws Exception {
        String url = db.url(db.newSchemaName());
        // Events both instances write (a replayed spool, a re-run import) and events each writes alone.
        List<Event> shared = SampleEvents.activities(3_000, SampleEvents.T0);
        List<List<Event>> own = List.of(SampleEvents.activities(2_000, SampleEvents.T0.plusSeconds(10_000)),
                SampleEvents.activities(2_000, SampleEvents.T0.plusSeconds(20_000)));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> added = new ArrayList<>();
            for (int instance = 0; instance < 2; instance++) {
                List<Event> mine = new ArrayList<>(shared);
                mine.addAll(own.get(instance));
                Collections.shuffle(mine, new Random(instance));
                added.add(threads.submit(appendInBatches(url, mine, start)));
            }
            start.countDown();

            int total = added.get(0).get() + added.get(1).get();

            assertThat(total).isEqualTo(shared.size() + own.get(0).size() + own.get(1).size());
        } finally {
            threads.shutdownNow();
        }
        try (PostgresEventStore store = PostgresEventStore.open(url)) {
            assertThat(store.count(EventQuery.of(EventKind.ACTIVITY)))
                    .containsEntry(EventKind.ACTIVITY, (long) shared.size() + 4_000);
            assertThat(store.appliedChangeSets()).hasSameSizeAs(store.appliedChangeSets().stream().distinct().toList())
                    .isNotEmpty();
            assertThat(store.pendingChangeSets()).isEmpty();
        }
    }

    /** Opens a store when {@code start} opens, then appends {@code events} in batches of mixed sizes. */
    private static Callable<Integer> appendInBatches(String url, List<Event> events, CountDownLatch start) {
        return () -> {
            start.await();
            try (PostgresEventStore store = PostgresEventStore.open(url,
                    PostgresOptions.builder().maximumPoolSize(2).minimumIdle(0).build())) {
                int added = 0;
                int[] sizes = {1, 7, RowWriter.COPY_FROM_ROWS, RowWriter.COPY_FROM_ROWS * 3 + 1, 50};
                int next = 0;
                for (int i = 0; next < events.size(); i++) {
                    int end = Math.min(events.size(), next + sizes[i % sizes.length]);
                    added += store.append(events.subList(next, end));
                    next = end;
                }
                return added;
            }
        };
    }
}
