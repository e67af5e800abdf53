package dev.eventlog;

import static dev.eventlog.AsyncEventLoggerTest.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    private final List<EventLogException> failures = new CopyOnWriteArrayList<>();

    private SpoolOptions spool() {
        return SpoolOptions.builder(dir.resolve("spool")).retryInterval(Duration.ofMillis(50)).build();
    }

    private EventLogger.Builder logger(FlakyStore store, SpoolOptions spool) {
        return EventLogger.builder().store(store).spool(spool).errorHandler((error, events) -> failures.add(error));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 30 s").isTrue();
    }

    private static List<Path> segments(Path spool) throws IOException {
        try (Stream<Path> children = Files.list(spool)) {
            return children.filter(p -> p.getFileName().toString().startsWith("segment-")).toList();
        }
    }

    @Test
    void replaysSpooledEventsExactlyOnceWhenTheStoreReturns() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        List<UUID> logged = new ArrayList<>();
        try (EventLogger logger = logger(store, spool()).build()) {
            logged.add(logger.logActivity(ActivityEvent.builder().activityType("before")
                    .description("stored directly").build()).id());
            store.unreachable(true);
            for (int i = 0; i < 300; i++) {
                logged.add(logger.logSelfHeal(SelfHealEvent.builder().errorPattern("pattern-" + i).fixApplied("fix")
                        .success(true).executionTimeMs(i).build()).id());
            }
            LoggerMetrics down = logger.metrics();
            LoggerHealth unhealthy = logger.health();
            assertThat(down.spooled()).isEqualTo(300);
            assertThat(down.spoolBytes()).isPositive();
            assertThat(unhealthy.storeReachable()).isFalse();
            assertThat(unhealthy.healthy()).isFalse();
            assertThat(unhealthy.lastError()).contains("connection refused");
            int callsWhileDown = store.appendCalls.get();

            store.unreachable(false);
            await(() -> logger.metrics().spoolBytes() == 0);
            LoggerMetrics after = logger.metrics();
            System.out.printf("logged=%d spooled=%d replayed=%d stored=%d failedBatches=%d store calls while down=%d%n",
                    after.logged(), after.spooled(), after.replayed(), after.stored(), after.failedBatches(),
                    callsWhileDown);
            assertThat(ids(store)).hasSize(301).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(logged);
            assertThat(after.replayed()).isEqualTo(300);
            assertThat(after.stored()).isEqualTo(301);
            assertThat(after.dropped()).isZero();
            // The circuit keeps callers off a dead store: far fewer store calls than events while it was down.
            assertThat(callsWhileDown).isLessThan(100);
            assertThat(logger.health().healthy()).isTrue();
            assertThat(segments(dir.resolve("spool"))).isEmpty();
        }
    }

    @Test
    void aNewLoggerReplaysWhatTheLastOneLeftInTheSpool() throws Exception {
        Path storeDir = dir.resolve("store");
        FlakyStore first = new FlakyStore(JsonlEventStore.open(storeDir));
        first.unreachable(true);
        List<UUID> logged = new ArrayList<>();
        try (EventLogger logger = logger(first, spool()).build()) {
            for (int i = 0; i < 50; i++) {
                logged.add(logger.logCoordinator(CoordinatorEvent.builder().agentId("agent-" + i).action("spawn")
                        .result("ok").build()).id());
            }
        }
        assertThat(segments(dir.resolve("spool"))).isNotEmpty();

        FlakyStore second = new FlakyStore(JsonlEventStore.open(storeDir));
        try (EventLogger logger = logger(second, spool()).build()) {
            await(() -> logger.metrics().spoolBytes() == 0);
            System.out.printf("left by the first logger=%d replayed by the second=%d%n", logged.size(),
                    logger.metrics().replayed());
            assertThat(logger.metrics().replayed()).isEqualTo(50);
            assertThat(ids(second)).containsExactlyInAnyOrderElementsOf(logged).doesNotHaveDuplicates();
        }
    }

    @Test
    void replayingEventsTheStoreAlreadyHasAddsNothing() throws Exception {
        Path storeDir = dir.resolve("store");
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(ActivityEvent.builder().activityType("twice").description("event " + i).build());
        }
        // A process that died after committing a replayed segment but before deleting it leaves exactly this.
        try (JsonlEventStore store = JsonlEventStore.open(storeDir)) {
            store.append(events);
        }
        try (JsonlEventStore segment = JsonlEventStore.open(dir.resolve("spool").resolve("segment-0000000000000000007"))) {
            segment.append(events);
        }
        try (EventLogger logger = logger(new FlakyStore(JsonlEventStore.open(storeDir)), spool()).build()) {
            await(() -> logger.metrics().spoolBytes() == 0);
            assertThat(logger.metrics().replayed()).isEqualTo(20);
            assertThat(logger.metrics().stored()).isZero();
            assertThat(ids(logger.store())).hasSize(20).doesNotHaveDuplicates();
        }
    }

    @Test
    void aFullSpoolDropsAndCountsWhatDoesNotFitAndKeepsWhatItHas() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        store.unreachable(true);
        SpoolOptions small = SpoolOptions.builder(dir.resolve("spool")).maxBytes(4096).segmentBytes(1024)
                .retryInterval(Duration.ofHours(1)).build();
        try (EventLogger logger = logger(store, small).build()) {
            for (int i = 0; i < 200; i++) {
                logger.logActivity(ActivityEvent.builder().activityType("fill")
                        .description("event number " + i + " with some text to take room").build());
            }
            LoggerMetrics metrics = logger.metrics();
            System.out.printf("logged=%d spooled=%d dropped=%d spoolBytes=%d%n", metrics.logged(), metrics.spooled(),
                    metrics.dropped(), metrics.spoolBytes());
            assertThat(metrics.spooled()).isPositive();
            assertThat(metrics.dropped()).isPositive();
            assertThat(metrics.spooled() + metrics.dropped()).isEqualTo(200);
            assertThat(metrics.spoolBytes()).isBetween(4096L, 4096L + 1024);
            assertThat(failures).anySatisfy(f -> assertThat(f.getMessage()).contains("spool.maxBytes"));
            try (JsonlEventStore spooled = JsonlEventStore.open(segments(dir.resolve("spool")).get(0))) {
                assertThat(spooled.count(EventQuery.all()).get(EventKind.ACTIVITY)).isPositive();
            }
        }
    }

    @Test
    void refusesASpoolDirectoryAnotherLoggerHolds() {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        try (EventLogger logger = logger(store, spool()).build()) {
            assertThatThrownBy(() -> logger(store, spool()).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("spool.directory was '" + dir.resolve("spool") + "'")
                    .hasMessageContaining("another logger");
        }
    }

    @Test
    void asyncLoggerSpoolsWholeBatchesWhileTheStoreIsDownAndReplaysThem() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        AsyncOptions async = AsyncOptions.builder().batchSize(50).flushInterval(Duration.ofMillis(10)).build();
        List<UUID> logged = new ArrayList<>();
        try (EventLogger logger = logger(store, spool()).async(async).build()) {
            store.unreachable(true);
            for (int i = 0; i < 1_000; i++) {
                logged.add(logger.logToolUse("Read", true, i).id());
            }
            assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(logger.metrics().spooled()).isEqualTo(1_000);
            store.unreachable(false);
            await(() -> logger.metrics().spoolBytes() == 0);
            LoggerMetrics metrics = logger.metrics();
            System.out.printf("logged=%d spooled=%d replayed=%d failedBatches=%d retried=%d%n", metrics.logged(),
                    metrics.spooled(), metrics.replayed(), metrics.failedBatches(), metrics.retried());
            assertThat(ids(store)).containsExactlyInAnyOrderElementsOf(logged).doesNotHaveDuplicates();
            assertThat(metrics.replayed()).isEqualTo(1_000);
            assertThat(metrics.retried()).isPositive();
        }
    }

    @Test
    void writeAheadFilesHoldQueuedEventsAndAreGoneAfterACleanClose() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        CountDownLatch stalled = store.stall();
        AsyncOptions async = AsyncOptions.builder().writeAhead(true).batchSize(10).build();
        List<UUID> logged = new ArrayList<>();
        Path wal = dir.resolve("spool").resolve("wal");
        try (EventLogger logger = logger(store, spool()).async(async).build()) {
            for (int i = 0; i < 100; i++) {
                logged.add(logger.logActivity(ActivityEvent.builder().activityType("ahead")
                        .description("event " + i).build()).id());
            }
            // The store has taken nothing yet: every acknowledged event is in a write-ahead file.
            List<UUID> ahead = new ArrayList<>();
            try (Stream<Path> segments = Files.list(wal)) {
                for (Path segment : (Iterable<Path>) segments::iterator) {
                    try (JsonlEventStore files = JsonlEventStore.open(segment)) {
                        ahead.addAll(ids(files));
                    }
                }
            }
            assertThat(ahead).containsExactlyInAnyOrderElementsOf(logged);
            stalled.countDown();
            assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
        }
        try (Stream<Path> left = Files.list(wal)) {
            assertThat(left).isEmpty();
        }
        try (JsonlEventStore reopened = JsonlEventStore.open(dir.resolve("store"))) {
            assertThat(ids(reopened)).containsExactlyInAnyOrderElementsOf(logged);
        }
    }
}
