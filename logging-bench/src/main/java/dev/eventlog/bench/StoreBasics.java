package dev.eventlog.bench;

import dev.eventlog.Event;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.sqlite.SqliteEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SQLite store's fixed costs: opening a file whose schema is already up to date (the cheap
 * check) against the first open, which creates it from the template, and appending 100 000 routing
 * events in batches of 1 000. Run with {@code -Dbench=store}.
 */
final class StoreBasics {
    private static final int OPENS = 21;
    private static final int EVENTS = 100_000;
    private static final int BATCH = 1_000;

    private StoreBasics() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("eventlog-bench-store");
        Path db = dir.resolve("events.db");
        long start = System.nanoTime();
        SqliteEventStore.open(db).close();
        double firstOpenMs = (System.nanoTime() - start) / 1e6;
        double[] opens = new double[OPENS];
        for (int i = 0; i < OPENS; i++) {
            long t = System.nanoTime();
            SqliteEventStore.open(db).close();
            opens[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(opens);
        double medianOpenMs = opens[OPENS / 2];
        System.out.printf("open, new file from the template (first open):  %8.1f ms%n", firstOpenMs);
        System.out.printf("open, schema up to date (median of %d):          %8.2f ms  (%.0fx cheaper)%n",
                OPENS, medianOpenMs, firstOpenMs / medianOpenMs);

        try (SqliteEventStore store = SqliteEventStore.open(db)) {
            for (int round = 1; round <= 3; round++) {
                List<List<Event>> batches = batches(Instant.now().plusSeconds(round * 1_000_000L));
                long t = System.nanoTime();
                for (List<Event> batch : batches) {
                    store.append(batch);
                }
                double seconds = (System.nanoTime() - t) / 1e9;
                System.out.printf("append %d routing events in batches of %d, round %d: %,10.0f events/s%n",
                        EVENTS, BATCH, round, EVENTS / seconds);
            }
        }
    }

    private static List<List<Event>> batches(Instant base) {
        List<List<Event>> batches = new ArrayList<>();
        for (int b = 0; b < EVENTS / BATCH; b++) {
            List<Event> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                batch.add(RoutingMetricEvent.builder().ts(base.plusMillis(b * (long) BATCH + i)).queryId("q-" + i)
                        .predictedModel("opus").actualModel("sonnet").dqScore(0.5).complexity(0.2).accuracy(true)
                        .costSaved(0.01).reasoning("Moderate complexity, good specificity")
                        .queryText("how do I fix the failing build #" + i).build());
            }
            batches.add(batch);
        }
        return batches;
    }
}
