package dev.eventlog.bench;

import dev.eventlog.AsyncOptions;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogger;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.sqlite.SqliteEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Caller-thread latency of one {@code logToolUse} call, sampled (JMH reports p50, p90, p99,
 * p99.9, p99.99): {@code sync} commits into a SQLite file before returning; {@code async} only
 * queues, with the writer thread committing batches into a store that takes and discards them,
 * so the figure is the caller's own cost, not the database's. (Async latency into a real SQLite
 * file at a fixed offered rate is in the side-by-side table.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class AppendLatencyBenchmark {
    /** {@code sync} into SQLite, or {@code async} into a discarding store. */
    @Param({"sync", "async"})
    public String mode;

    private Path dir;
    private EventLogger logger;
    private int i;

    /** Opens the logger. */
    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("eventlog-jmh");
        EventLogger.Builder builder = EventLogger.builder();
        if (mode.equals("sync")) {
            builder.store(SqliteEventStore.open(dir.resolve("events.db")));
        } else {
            builder.store(new DiscardingStore()).async(AsyncOptions.builder()
                    .backpressure(dev.eventlog.Backpressure.BLOCK).build());
        }
        logger = builder.build();
    }

    /** Closes the logger and deletes its files. */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        logger.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** One typed-method call: build the event, then commit it (sync) or queue it (async). */
    @Benchmark
    public ToolUseEvent logToolUse() {
        return logger.logToolUse("Bash", true, i++);
    }

    /** Takes every batch and keeps nothing. */
    static final class DiscardingStore implements EventStore {
        @Override
        public int append(List<? extends Event> batch) {
            return batch.size();
        }

        @Override
        public Stream<Event> read(EventQuery query) {
            return Stream.empty();
        }

        @Override
        public Map<EventKind, Long> count(EventQuery query) {
            return Map.of();
        }

        @Override
        public String describe() {
            return "discarding";
        }

        @Override
        public void close() {
            // Nothing is held.
        }
    }
}
