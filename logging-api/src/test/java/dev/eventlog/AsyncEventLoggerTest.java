package dev.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncEventLoggerTest {
    @TempDir
    Path dir;

    private final List<EventLogException> failures = new CopyOnWriteArrayList<>();

    private EventLogger.Builder logger(EventStore store, AsyncOptions async) {
        return EventLogger.builder().store(store).async(async).errorHandler((error, events) -> failures.add(error));
    }

    static List<UUID> ids(EventStore store) {
        try (Stream<Event> events = store.read(EventQuery.all())) {
            return events.map(Event::id).collect(Collectors.toList());
        }
    }

    @Test
    void commitsEveryEventFromManyThreadsOnceWhenFlushed() throws Exception {
        JsonlEventStore store = JsonlEventStore.open(dir.resolve("store"));
        AsyncOptions async = AsyncOptions.builder().batchSize(256).queueCapacity(1024)
                .backpressure(Backpressure.BLOCK).maxBlock(Duration.ofSeconds(30)).build();
        List<UUID> logged = Collections.synchronizedList(new ArrayList<>());
        try (EventLogger logger = logger(store, async).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        logged.add(logger.logActivity(ActivityEvent.builder().activityType("load")
                                .description("thread " + thread + " event " + i).build()).id());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(logger.flush(Duration.ofSeconds(60))).isTrue();

            List<UUID> stored = ids(store);
            LoggerMetrics metrics = logger.metrics();
            System.out.printf("logged=%d stored=%d distinct=%d batches=%d dropped=%d%n", logged.size(),
                    stored.size(), Set.copyOf(stored).size(), metrics.batches(), metrics.dropped());
            assertThat(stored).hasSize(20_000).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(logged);
            assertThat(metrics.logged()).isEqualTo(20_000);
            assertThat(metrics.committed()).isEqualTo(20_000);
            assertThat(metrics.stored()).isEqualTo(20_000);
            assertThat(metrics.dropped()).isZero();
            assertThat(metrics.queueDepth()).isZero();
            assertThat(metrics.batches()).isLessThan(20_000);
            assertThat(metrics.commitLatency().count()).isEqualTo(metrics.batches());
            assertThat(metrics.lastSuccess()).isNotNull();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void commitsQueuedEventsWithinTheFlushIntervalWithoutAFlush() throws Exception {
        JsonlEventStore store = JsonlEventStore.open(dir.resolve("store"));
        AsyncOptions async = AsyncOptions.builder().flushInterval(Duration.ofMillis(20))
                .backpressure(Backpressure.BLOCK).build();
        try (EventLogger logger = logger(store, async).build()) {
            logger.logGit(GitEvent.builder().eventType("commit").repo("repo").branch("main").commitHash("abc123")
                    .message("one").filesChanged(1).build());
            logger.logGit(GitEvent.builder().eventType("commit").repo("repo").branch("main").commitHash("abc124")
                    .message("two").filesChanged(1).build());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // The writer counts a batch once the store's append has returned, a moment after the
            // events can be read: wait for both.
            while ((ids(store).size() < 2 || logger.metrics().batches() < 1) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(ids(store)).hasSize(2);
            assertThat(logger.metrics().batches()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void closeCommitsWhatIsStillQueued() {
        Path storeDir = dir.resolve("store");
        List<UUID> logged = new ArrayList<>();
        try (EventLogger logger = logger(JsonlEventStore.open(storeDir),
                AsyncOptions.builder().flushInterval(Duration.ofHours(1)).backpressure(Backpressure.BLOCK).build())
                .build()) {
            for (int i = 0; i < 500; i++) {
                logged.add(logger.logToolUse("Bash", true, i).id());
            }
        }
        try (JsonlEventStore reopened = JsonlEventStore.open(storeDir)) {
            assertThat(ids(reopened)).containsExactlyInAnyOrderElementsOf(logged);
        }
    }

    @Test
    void dropsNewestEventsWhenTheQueueIsFullAndCountsEveryOne() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        CountDownLatch stalled = store.stall();
        AsyncOptions async = AsyncOptions.builder().queueCapacity(16).batchSize(4)
                .backpressure(Backpressure.DROP_NEWEST).build();
        try (EventLogger logger = logger(store, async).build()) {
            for (int i = 0; i < 200; i++) {
                logger.logActivity(ActivityEvent.builder().activityType("burst").description("event " + i).build());
            }
            stalled.countDown();
            assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
            LoggerMetrics metrics = logger.metrics();
            System.out.printf("logged=%d committed=%d dropped=%d%n", metrics.logged(), metrics.committed(),
                    metrics.dropped());
            assertThat(metrics.dropped()).isPositive();
            assertThat(metrics.committed() + metrics.dropped()).isEqualTo(200);
            assertThat(ids(store)).hasSize((int) metrics.committed());
            assertThat(failures).hasSize((int) metrics.dropped())
                    .allSatisfy(f -> assertThat(f.getMessage()).contains("DROP_NEWEST"));
        }
    }

    @Test
    void spillsToTheSpoolWhenTheQueueIsFullAndReplaysLater() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        CountDownLatch stalled = store.stall();
        AsyncOptions async = AsyncOptions.builder().queueCapacity(16).batchSize(4).build();
        List<UUID> logged = new ArrayList<>();
        try (EventLogger logger = logger(store, async).spool(SpoolOptions.builder(dir.resolve("spool"))
                .retryInterval(Duration.ofMillis(50)).build()).build()) {
            for (int i = 0; i < 200; i++) {
                logged.add(logger.logActivity(ActivityEvent.builder().activityType("burst")
                        .description("event " + i).build()).id());
            }
            LoggerMetrics during = logger.metrics();
            assertThat(during.spooled()).isPositive();
            assertThat(during.spoolBytes()).isPositive();
            stalled.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((logger.metrics().spoolBytes() > 0 || ids(store).size() < 200) && System.nanoTime() < deadline) {
                logger.flush(Duration.ofSeconds(1));
                Thread.sleep(20);
            }
            LoggerMetrics after = logger.metrics();
            System.out.printf("logged=%d committed=%d spooled=%d replayed=%d dropped=%d%n", after.logged(),
                    after.committed(), after.spooled(), after.replayed(), after.dropped());
            assertThat(ids(store)).containsExactlyInAnyOrderElementsOf(logged);
            assertThat(after.dropped()).isZero();
            assertThat(after.replayed()).isEqualTo(after.spooled());
            assertThat(after.spoolBytes()).isZero();
            assertThat(logger.health().healthy()).isTrue();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void blockedCallersSpillAfterTheMaximumWait() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        CountDownLatch stalled = store.stall();
        AsyncOptions async = AsyncOptions.builder().queueCapacity(8).batchSize(2)
                .backpressure(Backpressure.BLOCK).maxBlock(Duration.ofMillis(5)).build();
        List<UUID> logged = new ArrayList<>();
        try (EventLogger logger = logger(store, async).spool(SpoolOptions.builder(dir.resolve("spool"))
                .retryInterval(Duration.ofMillis(50)).build()).build()) {
            for (int i = 0; i < 40; i++) {
                logged.add(logger.logActivity(ActivityEvent.builder().activityType("burst")
                        .description("event " + i).build()).id());
            }
            assertThat(logger.metrics().spooled()).isPositive();
            stalled.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ids(store).size() < 40 && System.nanoTime() < deadline) {
                logger.flush(Duration.ofSeconds(1));
                Thread.sleep(20);
            }
            assertThat(ids(store)).containsExactlyInAnyOrderElementsOf(logged);
            assertThat(logger.metrics().dropped()).isZero();
        }
    }

    @Test
    void keepsAndRetriesAFailedBatchWhenThereIsNoSpool() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        store.unreachable(true);
        AsyncOptions async = AsyncOptions.builder().backpressure(Backpressure.BLOCK).build();
        try (EventLogger logger = logger(store, async).build()) {
            UUID id = logger.logActivity(ActivityEvent.builder().activityType("kept")
                    .description("survives an outage").build()).id();
            assertThat(logger.flush(Duration.ofMillis(300))).isFalse();
            assertThat(logger.health().storeReachable()).isFalse();
            assertThat(logger.health().lastError()).contains("connection refused");
            store.unreachable(false);
            assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(ids(store)).containsExactly(id);
            LoggerMetrics metrics = logger.metrics();
            assertThat(metrics.failedBatches()).isPositive();
            assertThat(metrics.retried()).isPositive();
            assertThat(metrics.dropped()).isZero();
            assertThat(logger.health().storeReachable()).isTrue();
        }
    }

    @Test
    void countsEventsLoggedAfterCloseAsDropped() {
        EventLogger logger = logger(JsonlEventStore.open(dir.resolve("store")),
                AsyncOptions.builder().backpressure(Backpressure.BLOCK).build()).build();
        logger.close();
        logger.logActivity(ActivityEvent.builder().activityType("late").description("after close").build());
        assertThat(logger.metrics().dropped()).isEqualTo(1);
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.getMessage()).contains("closed"));
    }

    @Test
    void rejectsAsyncSettingsThatCannotWorkListingEveryProblem() {
        JsonlEventStore store = JsonlEventStore.open(dir.resolve("store"));
        assertThatThrownBy(() -> EventLogger.builder().store(store).failFast(true)
                .async(AsyncOptions.builder().writeAhead(true).build()).build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).hasSize(3))
                .hasMessageContaining("failFast was 'true'")
                .hasMessageContaining("async.backpressure was 'SPILL'")
                .hasMessageContaining("async.writeAhead was 'true'");
        assertThatThrownBy(() -> AsyncOptions.builder().queueCapacity(1).batchSize(0)
                .flushInterval(Duration.ZERO).maxBlock(Duration.ofMillis(-1)).build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).hasSize(4))
                .hasMessageContaining("async.queueCapacity was '1'")
                .hasMessageContaining("async.flushInterval was 'PT0S'");
        store.close();
    }
}
