package dev.eventlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.AsyncOptions;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogger;
import dev.eventlog.LoggerMetrics;
import dev.eventlog.SpoolOptions;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.testkit.KafkaBroker;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped and started again on the same port and log directory while an async
 * logger produces and a sink copies into SQLite: the appends that Kafka did not acknowledge in
 * time go to the logger's spool and are replayed, the sink waits for the broker, and the store
 * ends with every event exactly once.
 */
class KafkaBrokerRestartTest {
    private static final int EVENTS = 12_000;

    @TempDir
    Path dir;

    @Test
    void nothingIsLostOrStoredTwiceWhenTheBrokerRestartsUnderLoad() throws Exception {
        List<Event> events = SampleEvents.activities(EVENTS, SampleEvents.T0);
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            // Short client timeouts, so that the outage fails appends rather than only delaying them.
            String topic = broker.url("restart") + "?partitions=2&request.timeout.ms=2000&delivery.timeout.ms=4000"
                    + "&max.block.ms=4000";
            LoggerMetrics metrics;
            KafkaSink.Progress progress;
            try (EventStore to = EventStores.open("sqlite:" + dir.resolve("events.db"))) {
                try (EventStore kafka = EventStores.open(topic);
                        EventLogger logger = EventLogger.builder().store(kafka)
                                .async(AsyncOptions.builder().batchSize(500).build())
                                .spool(SpoolOptions.builder(dir.resolve("spool")).retryInterval(Duration.ofMillis(500))
                                        .build())
                                .build();
                        KafkaSink sink = new KafkaSink(KafkaUrl.parse(topic), to, KafkaSink.Options.of("restart")
                                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1)), new KafkaSink.Listener() { })) {
                    CompletableFuture<KafkaSink.Progress> running = CompletableFuture.supplyAsync(sink::run);
                    // A steady load of about 1 000 events/s for 12 s; the broker is away from the 3rd to the 9th.
                    long start = System.nanoTime();
                    int stoppedAt = -1;
                    int restartedAt = -1;
                    for (int i = 0; i < EVENTS; i++) {
                        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        if (i % 100 == 0 && elapsedMs < i) {
                            Thread.sleep(i - elapsedMs);
                        }
                        if (stoppedAt < 0 && i == 3_000) {
                            broker.stop();
                            stoppedAt = i;
                        } else if (restartedAt < 0 && i == 9_000) {
                            broker.startAgain();
                            restartedAt = i;
                        }
                        logger.log(events.get(i));
                    }
                    assertThat(logger.flush(Duration.ofMinutes(2))).as("the logger drained").isTrue();
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                    while ((logger.metrics().spoolBytes() > 0 || rows(dir.resolve("events.db")) < EVENTS) && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    metrics = logger.metrics();
                    sink.stop();
                    progress = running.get(2, TimeUnit.MINUTES);
                }
                System.out.println("broker restarted under load: logger " + metrics + "; sink " + progress);
                assertThat(KafkaSinkTest.readAll(to)).containsExactlyElementsOf(SampleEvents.sorted(events));
            }
            // The outage reached the producer, and its spool made up for it: nothing dropped.
            assertThat(metrics.logged()).isEqualTo(EVENTS);
            assertThat(metrics.failedBatches()).isPositive();
            assertThat(metrics.spooled()).isPositive();
            assertThat(metrics.replayed()).isEqualTo(metrics.spooled());
            assertThat(metrics.dropped()).isZero();
            assertThat(progress.stored()).isEqualTo(EVENTS);
        }
    }

    private static long rows(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + EventKind.ACTIVITY.table())) {
            r.next();
            return r.getLong(1);
        }
    }
}
