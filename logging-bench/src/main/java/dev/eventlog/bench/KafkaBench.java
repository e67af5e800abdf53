package dev.eventlog.bench;

import dev.eventlog.ActivityEvent;
import dev.eventlog.Event;
import dev.eventlog.kafka.KafkaSink;
import dev.eventlog.kafka.KafkaUrl;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Kafka throughput against references measured in the same run:
 * {@code mvn -q -pl logging-bench -am package -DskipTests exec:exec -Dbench=kafka}. It starts a
 * broker in this JVM (KRaft, one node, logs in a temporary directory) and measures (1) appends of
 * {@code bench.events} (200 000) events in batches of {@code bench.batch} (1 000) through
 * {@code KafkaEventStore} with {@code acks=all}, and (2) {@code KafkaSink} copying that topic into
 * PostgreSQL against the store's own append of the same events in batches of the sink's size
 * (5 000), each into a fresh schema. The server is {@code EVENTLOG_BENCH_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); the schemas are dropped.
 */
final class KafkaBench {
    private static final int SINK_BATCH = 5_000;

    private KafkaBench() {
    }

    /** Runs the measurements and prints one line each, with the load average before and after. */
    static void run() throws Exception {
        String pg = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        int total = Integer.getInteger("bench.events", 200_000);
        int batch = Integer.getInteger("bench.batch", 1_000);
        System.out.println("load average before: " + loadAverage());
        Path logs = Files.createTempDirectory("eventlog-kafka-bench");
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setBaseDirectory(logs).setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0").build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String servers = cluster.bootstrapServers();

            // Warm-up: the same path on other events and another topic.
            produce("kafka://" + servers + "/warmup", events(Math.min(total, 50_000)), batch);
            String topic = "kafka://" + servers + "/bench-" + UUID.randomUUID().toString().substring(0, 8);
            List<Event> events = events(total);
            double produceSeconds = produce(topic, events, batch);
            System.out.printf("producer (KafkaEventStore.append, acks=all, batches of %d): %d events in %.2f s = %,.0f events/s%n",
                    batch, total, produceSeconds, total / produceSeconds);

            String direct = newSchema(pg);
            String sunk = newSchema(pg);
            try {
                double directSeconds;
                try (EventStore store = PostgresEventStore.open(withParameter(pg, "currentSchema=" + direct))) {
                    long start = System.nanoTime();
                    for (int i = 0; i < events.size(); i += SINK_BATCH) {
                        store.append(events.subList(i, Math.min(events.size(), i + SINK_BATCH)));
                    }
                    directSeconds = (System.nanoTime() - start) / 1e9;
                }
                double sinkSeconds;
                KafkaSink.Progress progress;
                try (EventStore store = PostgresEventStore.open(withParameter(pg, "currentSchema=" + sunk));
                        KafkaSink sink = new KafkaSink(KafkaUrl.parse(topic), store,
                                KafkaSink.Options.of("bench").untilCaughtUp(true), new KafkaSink.Listener() { })) {
                    long start = System.nanoTime();
                    progress = sink.run();
                    sinkSeconds = (System.nanoTime() - start) / 1e9;
                }
                System.out.printf("PostgresEventStore.append, batches of %d: %d events in %.2f s = %,.0f events/s%n",
                        SINK_BATCH, total, directSeconds, total / directSeconds);
                System.out.printf("KafkaSink topic -> PostgreSQL: %d events (%d new) in %.2f s = %,.0f events/s%n",
                        progress.consumed(), progress.stored(), sinkSeconds, total / sinkSeconds);
                System.out.printf("sink / store's own append: %.2fx%n", directSeconds / sinkSeconds);
            } finally {
                dropSchema(pg, direct);
                dropSchema(pg, sunk);
            }
        }
        System.out.println("load average after: " + loadAverage());
    }

    private static double produce(String url, List<Event> events, int batch) {
        try (EventStore topic = EventStores.open(url)) {
            long start = System.nanoTime();
            for (int i = 0; i < events.size(); i += batch) {
                topic.append(events.subList(i, Math.min(events.size(), i + batch)));
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>(count);
        Instant t0 = Instant.parse("2026-01-28T06:00:00Z");
        for (int i = 0; i < count; i++) {
            events.add(ActivityEvent.builder().ts(t0.plusMillis(i)).sessionId("s-" + (i % 500))
                    .source("bench-host").activityType("edit").description("changed file " + i).build());
        }
        return events;
    }

    private static String newSchema(String pg) throws Exception {
        String schema = "eventlog_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        execute(pg, "CREATE SCHEMA " + schema);
        return schema;
    }

    private static void dropSchema(String pg, String schema) throws Exception {
        execute(pg, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void execute(String pg, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(pg); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
