package dev.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.jsonl.JsonlOptions;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event a JSONL file cannot hold (its line would be longer than the reader reads) is refused
 * whole, counted and reported; it leaves no byte behind in the encoder, so the next event is
 * written, and read back, exactly — in a JSONL store, a JSONL backup, the spool and the
 * write-ahead log.
 */
class RefusedEventLeavesNoTraceTest {
    private static final Instant T = Instant.parse("2026-01-28T06:02:34Z");

    @TempDir
    Path dir;

    private final List<EventLogException> failures = new CopyOnWriteArrayList<>();

    private static List<Event> all(EventStore store) {
        try (Stream<Event> events = store.read(EventQuery.all())) {
            return events.collect(Collectors.toList());
        }
    }

    private static GitEvent next(int n) {
        return GitEvent.builder().ts(T.plusSeconds(n)).eventType("commit").repo("r").message("next " + n)
                .attribute("n", n).attribute("nested", List.of(1, "two", true)).build();
    }

    /**
     * A valid event whose JSONL line is about 72 MiB, above the 64 MiB a reader reads: three text
     * fields of 4 MiB of control characters, each written as a six-byte escape.
     */
    private static GitEvent tooLongForALine() {
        String control = "\u0001".repeat(4 * 1024 * 1024);
        return GitEvent.builder().ts(T).eventType("commit").repo("r").message(control).author(control)
                .branch(control).build();
    }

    @Test
    void aJsonlStoreRefusesABatchHoldingAnEventItCannotEncodeAndTakesTheNextBatchExactly() throws Exception {
        JsonlOptions small = JsonlOptions.builder().maxLineBytes(1024).build();
        GitEvent big = GitEvent.builder().ts(T).eventType("commit").repo("r").message("m".repeat(2000)).build();
        try (JsonlEventStore store = JsonlEventStore.open(dir.resolve("store"), small)) {
            GitEvent third = next(3);
            assertThatThrownBy(() -> store.append(List.of(next(1), big, next(2))))
                    .isExactlyInstanceOf(InvalidEventException.class)
                    .hasMessageContaining(big.id().toString())
                    .hasMessageContaining("at most 1024 bytes");

            assertThat(store.append(List.of(third))).isEqualTo(1);

            List<String> lines = Files.readAllLines(store.file(EventKind.GIT));
            System.out.println("lines after a refused batch and a good one: " + lines.size());
            assertThat(lines).hasSize(1);
            assertThat(all(store)).containsExactly(third);
        }
    }

    @Test
    void aBackupThatCannotEncodeAnEventCountsItAndKeepsTheNextEventExactly() {
        JsonlOptions small = JsonlOptions.builder().maxLineBytes(1024).build();
        GitEvent big = GitEvent.builder().ts(T).eventType("commit").repo("r").message("m".repeat(2000)).build();
        GitEvent after = next(1);
        try (DualWriter dual = DualWriter.of(JsonlEventStore.open(dir.resolve("primary")),
                JsonlEventStore.open(dir.resolve("backup"), small), DualWriter.Side.PRIMARY,
                (error, events) -> failures.add(error))) {
            assertThat(dual.append(List.of(big))).isEqualTo(1);
            assertThat(dual.append(List.of(after))).isEqualTo(1);

            System.out.println("backup failures=" + dual.backupFailures() + " primary=" + all(dual.primary()).size()
                    + " backup=" + all(dual.backup()).size());
            assertThat(dual.backupFailures()).isEqualTo(1);
            assertThat(failures).singleElement().isInstanceOf(InvalidEventException.class);
            assertThat(all(dual.backup())).containsExactly(after);
            assertThat(all(dual.primary())).containsExactly(big, after);
        }
    }

    @Test
    void anEventTooLongForTheSpoolIsDroppedAndCountedAndTheNextOneReplaysExactly() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        SpoolOptions spool = SpoolOptions.builder(dir.resolve("spool")).retryInterval(Duration.ofMillis(50)).build();
        GitEvent after = next(1);
        try (EventLogger logger = EventLogger.builder().store(store).spool(spool)
                .errorHandler((error, events) -> failures.add(error)).build()) {
            store.unreachable(true);
            logger.log(tooLongForALine());
            logger.log(after);
            LoggerMetrics down = logger.metrics();
            assertThat(down.dropped()).isEqualTo(1);
            assertThat(down.spooled()).isEqualTo(1);

            store.unreachable(false);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (logger.metrics().spoolBytes() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            LoggerMetrics metrics = logger.metrics();
            System.out.printf("logged=%d dropped=%d spooled=%d replayed=%d stored=%d%n", metrics.logged(),
                    metrics.dropped(), metrics.spooled(), metrics.replayed(), metrics.stored());
            assertThat(metrics.replayed()).isEqualTo(1);
            assertThat(all(store)).containsExactly(after);
            assertThat(failures).anySatisfy(f -> assertThat(f).hasMessageContaining("at most 67108864 bytes"));
        }
    }

    @Test
    void anEventTooLongForTheWriteAheadLogIsCountedAsDroppedAndTheNextIsWrittenAheadExactly() throws Exception {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(dir.resolve("store")));
        SpoolOptions spool = SpoolOptions.builder(dir.resolve("spool")).build();
        AsyncOptions async = AsyncOptions.builder().writeAhead(true).batchSize(10).build();
        CountDownLatch stalled = store.stall();
        GitEvent after = next(1);
        try (EventLogger logger = EventLogger.builder().store(store).spool(spool).async(async)
                .errorHandler((error, events) -> failures.add(error)).build()) {
            logger.log(tooLongForALine());
            logger.log(after);

            List<Event> ahead = new ArrayList<>();
            try (Stream<Path> segments = Files.list(dir.resolve("spool").resolve("wal"))) {
                for (Path segment : (Iterable<Path>) segments::iterator) {
                    try (JsonlEventStore files = JsonlEventStore.open(segment)) {
                        ahead.addAll(all(files));
                    }
                }
            }
            assertThat(ahead).containsExactly(after);

            stalled.countDown();
            assertThat(logger.flush(Duration.ofSeconds(60))).isTrue();
            LoggerMetrics metrics = logger.metrics();
            System.out.printf("logged=%d dropped=%d stored=%d written ahead=%d%n", metrics.logged(),
                    metrics.dropped(), metrics.stored(), ahead.size());
            assertThat(metrics.dropped()).isEqualTo(1);
            assertThat(metrics.stored()).isEqualTo(1);
            assertThat(all(store)).containsExactly(after);
        }
    }
}
