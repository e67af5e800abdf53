package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.ActivityEvent;
import dev.eventlog.AsyncOptions;
import dev.eventlog.Event;
import dev.eventlog.EventLogger;
import dev.eventlog.LoggerMetrics;
import dev.eventlog.SpoolOptions;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.TcpProxy;
import dev.eventlog.testkit.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database is down when the application starts: the server is reached through a TCP proxy
 * inside the test that refuses every connection at first, then forwards again. A logger built
 * with {@code openStore} and a spool starts all the same, spools, and replays into the store once
 * it answers. Prints the counts it checks.
 */
class PostgresDownAtStartTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final int DOWN_EVENTS = 40;
    private static final int UP_EVENTS = 10;

    @TempDir
    Path dir;

    private static String through(TcpProxy proxy, String direct) {
        URI server = URI.create(direct.substring("jdbc:".length()));
        return TestDatabase.withParameter(direct.replace(server.getHost() + ":" + server.getPort(),
                "127.0.0.1:" + proxy.port()), "connectTimeout=2&socketTimeout=5");
    }

    private static List<UUID> storedIds(String url) {
        try (EventStore store = PostgresEventStore.open(url); Stream<Event> events = store.read(EventQuery.all())) {
            return events.map(Event::id).collect(Collectors.toList());
        }
    }

    private static void awaitEmptySpool(EventLogger logger) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (logger.metrics().spoolBytes() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private void startsWhileTheDatabaseIsDownAndReplaysExactlyOnce(AsyncOptions async) throws Exception {
        String schema = db.newSchemaName();
        String direct = db.url(schema);
        try (TcpProxy proxy = new TcpProxy(URI.create(direct.substring(5)).getHost(),
                URI.create(direct.substring(5)).getPort())) {
            proxy.cut();
            String proxied = through(proxy, direct);
            PostgresOptions options = PostgresOptions.builder().connectionTimeoutMs(1_000).build();
            AtomicLong failuresReported = new AtomicLong();
            List<UUID> acked = new ArrayList<>();
            LoggerMetrics whileDown;
            LoggerMetrics end;
            boolean reachableWhileDown;
            try (EventLogger logger = EventLogger.builder().openStore(() -> PostgresEventStore.open(proxied, options))
                    .async(async).spool(SpoolOptions.builder(dir.resolve("spool-" + schema))
                            .retryInterval(Duration.ofMillis(250)).build())
                    .errorHandler((error, events) -> failuresReported.incrementAndGet()).build()) {
                for (int i = 0; i < DOWN_EVENTS; i++) {
                    acked.add(logger.logActivity(ActivityEvent.builder().activityType("start")
                            .description("while down " + i).build()).id());
                }
                logger.flush(Duration.ofSeconds(30));
                whileDown = logger.metrics();
                reachableWhileDown = logger.health().storeReachable();
                proxy.restore();
                awaitEmptySpool(logger);
                for (int i = 0; i < UP_EVENTS; i++) {
                    acked.add(logger.logActivity(ActivityEvent.builder().activityType("start")
                            .description("after recovery " + i).build()).id());
                }
                logger.flush(Duration.ofSeconds(30));
                awaitEmptySpool(logger);
                end = logger.metrics();
            }
            List<UUID> stored = storedIds(direct);
            System.out.printf("[postgres down at start, %s] acked=%d; while down: spooled=%d committed=%d reachable=%b;"
                    + " at the end: rows=%d distinct=%d replayed=%d dropped=%d failures reported=%d%n",
                    async == null ? "sync" : "async", acked.size(), whileDown.spooled(), whileDown.committed(),
                    reachableWhileDown, stored.size(), stored.stream().distinct().count(), end.replayed(), end.dropped(),
                    failuresReported.get());
            assertThat(reachableWhileDown).isFalse();
            assertThat(whileDown.committed()).isZero();
            assertThat(whileDown.spooled()).isEqualTo(DOWN_EVENTS);
            assertThat(stored).hasSize(DOWN_EVENTS + UP_EVENTS).containsExactlyInAnyOrderElementsOf(acked);
            assertThat(end.dropped()).isZero();
            assertThat(end.replayed()).isEqualTo(end.spooled());
            assertThat(failuresReported.get()).isPositive();
        }
    }

    @Test
    void aSyncLoggerStartsWhileTheDatabaseIsDownAndReplaysExactlyOnceWhenItAnswers() throws Exception {
        startsWhileTheDatabaseIsDownAndReplaysExactlyOnce(null);
    }

    @Test
    void anAsyncLoggerStartsWhileTheDatabaseIsDownAndReplaysExactlyOnceWhenItAnswers() throws Exception {
        startsWhileTheDatabaseIsDownAndReplaysExactlyOnce(AsyncOptions.builder().batchSize(16)
                .flushInterval(Duration.ofMillis(20)).build());
    }

    @Test
    void withoutASpoolADatabaseDownAtStartFailsTheBuildNamingIt() throws Exception {
        String direct = db.url(db.newSchemaName());
        try (TcpProxy proxy = new TcpProxy(URI.create(direct.substring(5)).getHost(),
                URI.create(direct.substring(5)).getPort())) {
            proxy.cut();
            String proxied = through(proxy, direct);
            assertThatThrownBy(() -> EventLogger.builder().openStore(() -> PostgresEventStore.open(proxied,
                    PostgresOptions.builder().connectionTimeoutMs(1_000).build())).build())
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("127.0.0.1:" + proxy.port());
        }
    }
}
