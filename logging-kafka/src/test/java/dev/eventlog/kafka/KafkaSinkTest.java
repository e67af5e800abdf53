package dev.eventlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.StoreNotFoundException;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.postgres.PostgresOptions;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.SchemaMode;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link KafkaSink} on a real broker into real SQLite files and a real PostgreSQL. */
class KafkaSinkTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    /** A fresh topic with {@code partitions} partitions, holding {@code events} (each sent twice). */
    static KafkaUrl topicWith(String name, int partitions, List<Event> events) {
        String url = EmbeddedKafka.url(name + "-" + UUID.randomUUID().toString().substring(0, 8))
                + "?partitions=" + partitions;
        try (EventStore topic = EventStores.open(url)) {
            topic.append(events);
            topic.append(events.subList(0, events.size() / 2));
        }
        return KafkaUrl.parse(url);
    }

    static List<Event> events(int count) {
        List<Event> events = new ArrayList<>(SampleEvents.everyKind());
        events.addAll(SampleEvents.activities(count - events.size(), SampleEvents.T0.plusSeconds(1000)));
        return events;
    }

    static List<Event> readAll(EventStore store) {
        try (Stream<Event> read = store.read(EventQuery.all())) {
            return SampleEvents.sorted(read.collect(Collectors.toList()));
        }
    }

    private static KafkaSink.Progress sinkUntilCaughtUp(KafkaUrl from, EventStore to, String group) {
        try (KafkaSink sink = new KafkaSink(from, to, KafkaSink.Options.of(group).untilCaughtUp(true),
                new KafkaSink.Listener() { })) {
            return sink.run();
        }
    }

    @Test
    void copiesEveryEventIntoSqliteOnceAndEndsWithNoLag() {
        List<Event> events = events(2_000);
        KafkaUrl from = topicWith("sqlite", 3, events);

        KafkaSink.Progress progress;
        try (EventStore to = EventStores.open("sqlite:" + dir.resolve("events.db"))) {
            progress = sinkUntilCaughtUp(from, to, "g1");
            assertThat(readAll(to)).containsExactlyElementsOf(SampleEvents.sorted(events));
        }

        System.out.println("sink into SQLite: " + progress);
        assertThat(progress.consumed()).isEqualTo(events.size() + events.size() / 2);
        assertThat(progress.stored()).isEqualTo(events.size());
        assertThat(progress.deadLettered()).isZero();
        assertThat(progress.lag()).isZero();
    }

    @Test
    void copiesEveryEventIntoPostgresOnceAndASecondGroupAddsNothing() {
        List<Event> events = events(2_000);
        KafkaUrl from = topicWith("postgres", 2, events);

        try (EventStore to = EventStores.open(db.newSchemaUrl())) {
            KafkaSink.Progress first = sinkUntilCaughtUp(from, to, "g1");
            KafkaSink.Progress replay = sinkUntilCaughtUp(from, to, "g2");
            KafkaSink.Progress again = sinkUntilCaughtUp(from, to, "g1");

            assertThat(readAll(to)).containsExactlyElementsOf(SampleEvents.sorted(events));
            assertThat(first.stored()).isEqualTo(events.size());
            // Another group replays the whole topic: the store's ids make it harmless.
            assertThat(replay.consumed()).isEqualTo(first.consumed());
            assertThat(replay.stored()).isZero();
            // The first group resumes from its committed offsets: nothing left to consume.
            assertThat(again.consumed()).isZero();
        }
    }

    @Test
    void aSinkFromATopicThatDoesNotExistIsRefusedAndCreatesNoTopic() throws Exception {
        KafkaUrl missing = KafkaUrl.parse(EmbeddedKafka.url("missing-" + UUID.randomUUID().toString().substring(0, 8)));

        try (EventStore to = EventStores.open("sqlite:" + dir.resolve("events.db"))) {
            assertThatThrownBy(() -> new KafkaSink(missing, to, KafkaSink.Options.of("g1"), new KafkaSink.Listener() { }))
                    .isInstanceOf(StoreNotFoundException.class).hasMessageContaining(missing.topic());
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, missing.bootstrap()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .doesNotContain(missing.topic(), missing.deadLetterTopic());
        }
    }

    @Test
    void aSinkCreatesItsDeadLetterTopicWhenItStarts() throws Exception {
        KafkaUrl from = topicWith("dlq-made", 1, SampleEvents.activities(2, SampleEvents.T0));

        try (EventStore to = EventStores.open("sqlite:" + dir.resolve("events.db"));
                KafkaSink sink = new KafkaSink(from, to, KafkaSink.Options.of("g1"), new KafkaSink.Listener() { });
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, from.bootstrap()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(from.deadLetterTopic());
        }
    }

    @Test
    void aBatchBehindAFailedAppendIsStoredOnlyAfterTheFailedOne() {
        List<Event> events = SampleEvents.activities(12_000, SampleEvents.T0);
        KafkaUrl from = topicWith("in-turn", 1, events);
        List<Event> topic = new ArrayList<>(events);
        topic.addAll(events.subList(0, events.size() / 2));
        // Every append the store is asked for, in the order it is asked; the second and third fail.
        List<List<UUID>> attempts = new ArrayList<>();
        List<UUID> stored = new ArrayList<>();

        KafkaSink.Progress progress;
        try (EventStore sqlite = EventStores.open("sqlite:" + dir.resolve("events.db"))) {
            EventStore failing = new EventStore() {
                @Override
                public synchronized int append(List<? extends Event> batch) {
                    List<UUID> ids = batch.stream().map(Event::id).toList();
                    attempts.add(ids);
                    if (attempts.size() == 2 || attempts.size() == 3) {
                        throw new StoreException("the store is away for the test");
                    }
                    int added = sqlite.append(batch);
                    stored.addAll(ids);
                    return added;
                }

                @Override
                public Stream<Event> read(EventQuery query) {
                    return sqlite.read(query);
                }

                @Override
                public String describe() {
                    return sqlite.describe();
                }

                @Override
                public void close() {
                }
            };
            try (KafkaSink sink = new KafkaSink(from, failing, KafkaSink.Options.of("g").untilCaughtUp(true)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(50)), new KafkaSink.Listener() { })) {
                progress = sink.run();
            }
            assertThat(readAll(sqlite)).containsExactlyElementsOf(SampleEvents.sorted(events));
        }

        assertThat(attempts.size()).as("batches of the 18 000 records, the second tried three times").isGreaterThanOrEqualTo(6);
        assertThat(attempts.get(2)).as("the failed batch is tried again before any other").isEqualTo(attempts.get(1));
        assertThat(attempts.get(3)).isEqualTo(attempts.get(1));
        assertThat(stored).as("the batches stored in the topic's order, each once")
                .containsExactlyElementsOf(topic.stream().map(Event::id).toList());
        assertThat(progress.retries()).isEqualTo(2);
        assertThat(progress.stored()).isEqualTo(events.size());
        assertThat(progress.lag()).isZero();
    }

    @Test
    void sendsARecordThatIsNotAnEventToTheDeadLetterTopicWithItsOriginAndGoesOn() throws Exception {
        List<Event> events = SampleEvents.activities(10, SampleEvents.T0);
        KafkaUrl from = topicWith("poison", 1, events.subList(0, 5));
        long[] poisonOffsets = new long[2];
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(KafkaClients.producer(from, "test"))) {
            poisonOffsets[0] = raw.send(new ProducerRecord<>(from.topic(), "k".getBytes(StandardCharsets.UTF_8),
                    "{not json".getBytes(StandardCharsets.UTF_8))).get().offset();
            RecordHeaders headers = new RecordHeaders();
            headers.add(RecordCodec.KIND_HEADER, "no_such_kind".getBytes(StandardCharsets.UTF_8));
            poisonOffsets[1] = raw.send(new ProducerRecord<>(from.topic(), 0, null, null,
                    "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), headers)).get().offset();
        }
        try (EventStore topic = EventStores.open(from.describe())) {
            topic.append(events.subList(5, 10));
        }
        List<String> heard = new ArrayList<>();

        KafkaSink.Progress progress;
        try (EventStore to = EventStores.open("sqlite:" + dir.resolve("events.db"));
                KafkaSink sink = new KafkaSink(from, to, KafkaSink.Options.of("g").untilCaughtUp(true),
                        new KafkaSink.Listener() {
                            @Override
                            public void deadLettered(String topic, int partition, long offset, String reason) {
                                heard.add(offset + ": " + reason);
                            }
                        })) {
            progress = sink.run();
            assertThat(readAll(to)).containsExactlyElementsOf(events);
        }

        assertThat(progress.deadLettered()).isEqualTo(2);
        assertThat(heard).hasSize(2);
        assertThat(heard.get(0)).startsWith(poisonOffsets[0] + ": not JSON");
        assertThat(heard.get(1)).startsWith(poisonOffsets[1] + ": its eventlog-kind header was 'no_such_kind'");
        List<ConsumerRecord<byte[], byte[]>> dead = readTopic(from, from.deadLetterTopic(), 2);
        assertThat(dead).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("{not json", "{\"id\":\"x\"}");
        for (int i = 0; i < 2; i++) {
            assertThat(header(dead.get(i), KafkaSink.ORIGIN_TOPIC)).isEqualTo(from.topic());
            assertThat(header(dead.get(i), KafkaSink.ORIGIN_PARTITION)).isEqualTo("0");
            assertThat(header(dead.get(i), KafkaSink.ORIGIN_OFFSET)).isEqualTo(String.valueOf(poisonOffsets[i]));
            assertThat(header(dead.get(i), KafkaSink.REASON)).isNotBlank();
        }
    }

    @Test
    void pausesWhileTheStoreRefusesAndStoresEverythingOnceWhenItIsBack() throws Exception {
        List<Event> events = SampleEvents.activities(500, SampleEvents.T0);
        KafkaUrl from = topicWith("outage", 1, events);
        String schema = db.newSchemaName();
        PostgresEventStore.open(db.url(schema)).close();
        String role = db.newRole();
        db.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role,
                "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
                // The outage: the sink's role may not write the events' table.
                "REVOKE INSERT ON " + schema + "." + EventKind.ACTIVITY.table() + " FROM " + role);
        CountDownLatch refused = new CountDownLatch(2);
        AtomicInteger failures = new AtomicInteger();

        try (EventStore to = PostgresEventStore.open(db.urlAs(schema, role, null),
                PostgresOptions.builder().schemaMode(SchemaMode.VALIDATE).connectionTimeoutMs(2_000).build());
                KafkaSink sink = new KafkaSink(from, to, KafkaSink.Options.of("g").untilCaughtUp(true)
                        .backoff(Duration.ofMillis(50), Duration.ofMillis(400)), new KafkaSink.Listener() {
                            @Override
                            public void storeFailed(StoreException failure, Duration wait) {
                                failures.incrementAndGet();
                                refused.countDown();
                            }
                        })) {
            CompletableFuture<KafkaSink.Progress> running = CompletableFuture.supplyAsync(sink::run);
            assertThat(refused.await(60, TimeUnit.SECONDS)).as("the store refused the batch twice").isTrue();
            try (EventStore admin = EventStores.open(db.url(schema))) {
                assertThat(readAll(admin)).isEmpty();
            }

            db.execute("GRANT INSERT ON " + schema + "." + EventKind.ACTIVITY.table() + " TO " + role);
            KafkaSink.Progress progress = running.get(120, TimeUnit.SECONDS);

            System.out.println("sink through a store outage: " + progress + ", failures heard " + failures.get());
            assertThat(progress.retries()).isGreaterThanOrEqualTo(2).isEqualTo(failures.get());
            assertThat(progress.stored()).isEqualTo(events.size());
            assertThat(progress.lag()).isZero();
        }
        try (EventStore admin = EventStores.open(db.url(schema))) {
            assertThat(readAll(admin)).containsExactlyElementsOf(events);
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> readTopic(KafkaUrl servers, String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(servers, "test", null))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            Instant deadline = Instant.now().plusSeconds(60);
            while (records.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
