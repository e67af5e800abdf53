package dev.eventlog.postgres;

import dev.eventlog.ActivityEvent;
import dev.eventlog.GitEvent;
import dev.eventlog.testkit.TcpProxy;
import dev.eventlog.testkit.TestDatabase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.AsyncOptions;
import dev.eventlog.Backpressure;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogger;
import dev.eventlog.LoggerMetrics;
import dev.eventlog.SpoolOptions;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away under steady load and comes back: the store reaches the server through a
 * TCP proxy inside the test, which is cut (every connection reset, new ones dropped) for three
 * seconds and then restored. Prints the counts it checks.
 */
class PostgresOutageTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final Duration MAX_BLOCK = Duration.ofMillis(200);
    /** Scheduling slack on a shared two-core machine, on top of the configured maximum. */
    private static final Duration SLACK = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @Test
    void anOutageUnderSteadyLoadLosesNothingDuplicatesNothingAndBlocksNoCallerPastItsMaximum() throws Exception {
        String schema = db.newSchema();
        String direct = db.url(schema);
        URI server = URI.create(direct.substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort())) {
            String proxied = TestDatabase.withParameter(
                    direct.replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port()),
                    "connectTimeout=2&socketTimeout=5");
            // A short pool timeout: the writer notices the outage in a second instead of ten.
            PostgresOptions pool = PostgresOptions.builder().connectionTimeoutMs(1_000).build();
            // A small queue, so that it fills while the writer waits on the dead pool: git events then
            // block (at most MAX_BLOCK) and the other kinds spill to the spool.
            AsyncOptions async = AsyncOptions.builder().queueCapacity(1_024).batchSize(500)
                    .flushInterval(Duration.ofMillis(50)).backpressure(EventKind.GIT, Backpressure.BLOCK)
                    .maxBlock(MAX_BLOCK).build();
            SpoolOptions spool = SpoolOptions.builder(dir.resolve("spool")).retryInterval(Duration.ofMillis(250))
                    .build();
            ConcurrentLinkedQueue<UUID> acked = new ConcurrentLinkedQueue<>();
            AtomicLong slowestCall = new AtomicLong();
            AtomicLong failuresReported = new AtomicLong();
            LoggerMetrics metrics;
            try (EventLogger logger = EventLogger.builder().store(PostgresEventStore.open(proxied, pool)).async(async)
                    .spool(spool).errorHandler((error, events) -> failuresReported.incrementAndGet()).build()) {
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                List<Thread> callers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    Thread caller = new Thread(() -> {
                        for (int i = 0; System.nanoTime() < end; i++) {
                            long start = System.nanoTime();
                            Event event = switch (i % 3) {
                                case 0 -> logger.logGit(GitEvent.builder().eventType("commit").repo("repo")
                                        .branch("main").commitHash(thread + "-" + i).message("commit")
                                        .filesChanged(1).build());
                                case 1 -> logger.logToolUse("Bash", true, i);
                                default -> logger.logActivity(ActivityEvent.builder().activityType("load")
                                        .description("thread " + thread + " event " + i).build());
                            };
                            slowestCall.accumulateAndGet(System.nanoTime() - start, Math::max);
                            acked.add(event.id());
                            // About 500 events/s per thread, 2 000/s in all: a steady load, not a flood.
                            try {
                                Thread.sleep(2);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }, "caller-" + t);
                    caller.start();
                    callers.add(caller);
                }
                Thread.sleep(3_000);
                proxy.cut();
                LoggerMetrics atCut = logger.metrics();
                Thread.sleep(3_000);
                boolean unreachableSeen = !logger.health().storeReachable();
                proxy.restore();
                for (Thread caller : callers) {
                    caller.join();
                }
                assertThat(logger.flush(Duration.ofSeconds(60))).isTrue();
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (logger.metrics().spoolBytes() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                metrics = logger.metrics();
                System.out.printf("[postgres outage] committed before the cut=%d; unreachable seen=%b%n",
                        atCut.committed(), unreachableSeen);
                assertThat(unreachableSeen).isTrue();
            }
            Set<UUID> stored;
            long rows;
            try (EventStore store = PostgresEventStore.open(direct); Stream<Event> events = store.read(EventQuery.all())) {
                List<UUID> ids = events.map(Event::id).collect(Collectors.toList());
                rows = ids.size();
                stored = Set.copyOf(ids);
            }
            System.out.printf("[postgres outage] acked=%d rows=%d distinct=%d missing=%d failed batches=%d "
                    + "spooled=%d replayed=%d dropped=%d failures reported=%d slowest call=%.1f ms (maximum %d ms)%n",
                    acked.size(), rows, stored.size(), acked.stream().filter(id -> !stored.contains(id)).count(),
                    metrics.failedBatches(), metrics.spooled(), metrics.replayed(), metrics.dropped(),
                    failuresReported.get(), slowestCall.get() / 1e6, MAX_BLOCK.toMillis());
            assertThat(stored).containsAll(acked);
            assertThat(rows).isEqualTo(acked.size());
            assertThat(metrics.dropped()).isZero();
            assertThat(metrics.failedBatches()).isPositive();
            assertThat(metrics.spooled()).isPositive();
            assertThat(metrics.replayed()).isEqualTo(metrics.spooled());
            assertThat(Duration.ofNanos(slowestCall.get())).isLessThan(MAX_BLOCK.plus(SLACK));
        }
    }
}
