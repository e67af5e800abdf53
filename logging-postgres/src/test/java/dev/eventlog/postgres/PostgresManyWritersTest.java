package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.AsyncOptions;
import dev.eventlog.Backpressure;
import dev.eventlog.Event;
import dev.eventlog.EventLogger;
import dev.eventlog.Ids;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writer processes, each an async logger with its own pool, append at once into one
 * partitioned PostgreSQL store, partly the same events: nothing is lost, nothing is stored twice,
 * and no writer deadlocks.
 */
class PostgresManyWritersTest {
    private static final int WRITERS = 4;
    private static final int OWN = 5_000;
    private static final int SHARED = 2_000;

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void writerProcessesAppendingAtOnceLoseAndDuplicateNothing() throws Exception {
        String url = db.url(db.newSchemaName());
        try (PostgresEventStore store = PostgresEventStore.open(url,
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build())) {
            assertThat(store.partitionInterval()).contains("month");
        }
        // From the start of this month: the events fall in the partitions made ahead (this month and 3 more).
        String start = PartitionInterval.MONTH.start(Instant.now()).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        List<Process> writers = new ArrayList<>();
        for (int k = 0; k < WRITERS; k++) {
            writers.add(new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), WriterChild.class.getName(), url,
                    Integer.toString(k), start)).redirectErrorStream(true).redirectOutput(dir.resolve("writer" + k).toFile())
                    .start());
        }
        for (int k = 0; k < WRITERS; k++) {
            assertThat(writers.get(k).waitFor(300, TimeUnit.SECONDS)).as("writer %d ended", k).isTrue();
            assertThat(writers.get(k).exitValue()).as("writer %d: %s", k,
                    Files.readString(dir.resolve("writer" + k), StandardCharsets.UTF_8)).isZero();
        }
        try (PostgresEventStore store = PostgresEventStore.open(url)) {
            List<Event> stored;
            try (Stream<Event> events = store.read(EventQuery.all())) {
                stored = events.collect(Collectors.toList());
            }
            assertThat(stored).hasSize(WRITERS * OWN + SHARED);
            assertThat(stored.stream().map(Event::id).distinct().count()).isEqualTo(WRITERS * OWN + SHARED);
            Map<String, Long> byWriter = stored.stream().collect(Collectors.groupingBy(
                    e -> ((ToolUseEvent) e).toolName(), Collectors.counting()));
            for (int k = 0; k < WRITERS; k++) {
                assertThat(byWriter).containsEntry("writer-" + k, (long) OWN);
            }
            assertThat(byWriter).containsEntry("shared", (long) SHARED);
            assertThat(store.maintainPartitions()).as("every event found its month's partition").isEmpty();
        }
    }

    /**
     * A writer process: an async logger appending {@value #OWN} events of its own spread over three
     * months from {@code args[2]}, and the {@value #SHARED} shared events every writer appends (the same ids and times).
     */
    public static final class WriterChild {
        private WriterChild() {
        }

        public static void main(String[] args) {
            int k = Integer.parseInt(args[1]);
            Instant start = Instant.parse(args[2]);
            PostgresEventStore store = PostgresEventStore.open(args[0],
                    PostgresOptions.builder().maximumPoolSize(2).build());
            try (EventLogger log = EventLogger.builder().store(store)
                    .async(AsyncOptions.builder().batchSize(1_000).backpressure(Backpressure.BLOCK)
                            .maxBlock(Duration.ofSeconds(60)).build()).build()) {
                for (int i = 0; i < Math.max(OWN, SHARED); i++) {
                    if (i < OWN) {
                        log.log(ToolUseEvent.builder().ts(start.plusSeconds(1_000L * i + k)).toolName("writer-" + k)
                                .success(true).durationMs(i).build());
                    }
                    if (i < SHARED) {
                        Instant ts = start.plusSeconds(3_000L * i);
                        log.log(ToolUseEvent.builder().id(Ids.derived(ts.toEpochMilli(),
                                ("shared-" + i).getBytes(StandardCharsets.UTF_8))).ts(ts).toolName("shared")
                                .success(true).durationMs(i).build());
                    }
                }
                if (!log.flush(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("writer " + k + " could not flush in 120 s");
                }
                if (log.metrics().dropped() > 0 || log.metrics().failedEvents() > 0) {
                    throw new IllegalStateException("writer " + k + " lost events: " + log.metrics());
                }
            }
        }
    }
}
