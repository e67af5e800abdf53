package dev.eventlog.kafka;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.StoreNotFoundException;
import dev.eventlog.jsonl.LineEncoder;
import dev.eventlog.jsonl.RejectedLineException;
import dev.eventlog.spi.AppendOnlyLog;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.StoreOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A Kafka topic as an event store: each event one record ({@link RecordCodec}), written by an
 * idempotent producer with {@code acks=all} ({@link KafkaClients#producer}). An append returns
 * when Kafka acknowledged every record of the batch. The store is an {@link AppendOnlyLog}: an
 * append does not look for the ids already in the topic, and reads skip an id met before.
 *
 * <p>A read goes over the topic once per kind asked, from its first record to the end it had
 * when the read began, skipping the records of other kinds by their header; it is meant for
 * checking and copying, not for queries: copy the topic into a SQL store with
 * {@link KafkaSink} to query it. A record that is not an event is skipped by reads and counted
 * in {@link #skippedRecords()}. Thread-safe.
 */
public final class KafkaEventStore implements EventStore, AppendOnlyLog {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long OPEN_TIMEOUT_S = 60;

    private final KafkaUrl url;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ThreadLocal<LineEncoder> encoders = ThreadLocal.withInitial(RecordCodec::newEncoder);
    private final java.util.concurrent.atomic.AtomicLong skipped = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    private KafkaEventStore(KafkaUrl url, KafkaProducer<byte[], byte[]> producer) {
        this.url = url;
        this.producer = producer;
    }

    /**
     * Opens the topic of {@code url}, creating it when it does not exist and {@code options}
     * allow (with the URL's {@code partitions} and {@code replication}, keeping records forever
     * and taking records up to {@link RecordCodec#MAX_LINE_BYTES}).
     *
     * @throws StoreNotFoundException when the topic must exist and does not
     * @throws StoreException when Kafka cannot be reached
     */
    public static KafkaEventStore open(KafkaUrl url, StoreOptions options) {
        ensureTopic(url, url.topic(), options.mustExist());
        try {
            return new KafkaEventStore(url, new KafkaProducer<>(KafkaClients.producer(url, "eventlog-store")));
        } catch (KafkaException e) {
            throw new StoreException("cannot open a Kafka producer for " + url.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes sure {@code topic} exists on the servers of {@code url}.
     *
     * @param mustExist throw {@link StoreNotFoundException} rather than create it
     */
    static void ensureTopic(KafkaUrl url, String topic, boolean mustExist) {
        ensureTopics(url, mustExist ? List.of(topic) : List.of(), mustExist ? List.of() : List.of(topic));
    }

    /**
     * Makes sure the topics exist on the servers of {@code url}, with one admin client: each of
     * {@code existing} must exist ({@link StoreNotFoundException} otherwise), each of
     * {@code created} is created when it does not.
     */
    static void ensureTopics(KafkaUrl url, List<String> existing, List<String> created) {
        String where = KafkaUrl.SCHEME + url.bootstrap() + "/" + String.join(",", existing.isEmpty() ? created : existing);
        try (Admin admin = Admin.create(KafkaClients.admin(url, "eventlog-admin"))) {
            Set<String> topics = admin.listTopics().names().get(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
            for (String topic : existing) {
                if (!topics.contains(topic)) {
                    throw new StoreNotFoundException(KafkaUrl.SCHEME + url.bootstrap() + "/" + topic,
                            "its topic must exist");
                }
            }
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : created) {
                if (!topics.contains(topic)) {
                    where = KafkaUrl.SCHEME + url.bootstrap() + "/" + topic;
                    missing.add(new NewTopic(topic, url.partitions(), url.replication()).configs(Map.of(
                            "retention.ms", "-1",
                            "max.message.bytes", String.valueOf(RecordCodec.MAX_LINE_BYTES + 64 * 1024))));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            throw new StoreException("cannot open " + where + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StoreException("cannot open " + where + ": Kafka did not answer within " + OPEN_TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while opening " + where, e);
        } catch (KafkaException e) {
            throw new StoreException("cannot open " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the leader of every partition of the new {@code topics} takes requests: a
     * topic's creation is acknowledged once the controller recorded it, and until the broker has
     * taken up its partitions a produce request for one fails and is retried. An idempotent
     * producer's first batches for a partition may then arrive out of order (the second accepted
     * before the first is retried), after which Kafka refuses the first for the rest of the
     * delivery timeout: so the store's first append waits for the topic here, at open.
     */
    private static void awaitLeaders(Admin admin, List<String> topics)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(OPEN_TIMEOUT_S);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(OPEN_TIMEOUT_S, TimeUnit.SECONDS).forEach((name, topic) ->
                        topic.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                // Answered by each partition's leader, from the partition itself.
                admin.listOffsets(partitions).all().get(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** The parsed URL of this store. */
    public KafkaUrl url() {
        return url;
    }

    /**
     * Sends one record per distinct id of {@code batch} and waits until Kafka acknowledged them
     * all. Every event is encoded before any is sent, so an event that cannot be encoded leaves
     * nothing written. The records are all handed to the producer, which is then flushed (so the
     * batch goes out at once rather than after {@code linger.ms}; records other threads sent
     * meanwhile go with it), and the acknowledgements are read once it returns.
     *
     * @return how many distinct ids the batch held (a log does not look for those already stored)
     * @throws dev.eventlog.InvalidEventException when an event cannot be encoded; nothing was sent
     * @throws StoreException when Kafka did not acknowledge every record; some may have been written
     */
    @Override
    public int append(List<? extends Event> batch) {
        if (closed) {
            throw new StoreException("the Kafka store " + describe() + " is closed");
        }
        LineEncoder encoder = encoders.get();
        encoder.reset();
        Set<UUID> ids = new HashSet<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(batch.size());
        for (Event event : batch) {
            if (ids.add(event.id())) {
                records.add(RecordCodec.encode(url.topic(), event, encoder));
            }
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            // Send what is batched now rather than after linger.ms: this append waits for it anyway.
            producer.flush();
            for (Future<RecordMetadata> ack : sent) {
                ack.get(); // complete after flush(): only reports a record Kafka refused
            }
        } catch (ExecutionException e) {
            throw new StoreException("Kafka did not acknowledge an event for " + describe() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for Kafka to acknowledge events for " + describe(), e);
        } catch (KafkaException | IllegalStateException e) {
            throw new StoreException("cannot send events to " + describe() + ": " + e.getMessage(), e);
        }
        return records.size();
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        if (closed) {
            throw new StoreException("the Kafka store " + describe() + " is closed");
        }
        Scan scan = new Scan(query);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(scan, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(scan::close);
    }

    /** How many records the reads of this store skipped because they were not events. */
    public long skippedRecords() {
        return skipped.get();
    }

    @Override
    public String describe() {
        return url.describe();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            producer.close(Duration.ofSeconds(30));
        }
    }

    /** One read: a pass over the topic per kind asked, each event once. */
    private final class Scan implements Iterator<Event> {
        private final EventQuery query;
        private final Iterator<EventKind> kinds;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<TopicPartition, Long> ends = new HashMap<>();
        private final Set<UUID> seen = new HashSet<>();
        private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
        private String kind;
        private Event next;

        Scan(EventQuery query) {
            this.query = query;
            this.kinds = query.orderedKinds().iterator();
            Properties props = KafkaClients.consumer(url, "eventlog-read", null);
            try {
                consumer = new KafkaConsumer<>(props);
            } catch (KafkaException e) {
                throw new StoreException("cannot read " + describe() + ": " + e.getMessage(), e);
            }
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : consumer.partitionsFor(url.topic())) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
                for (Map.Entry<TopicPartition, Long> end : consumer.endOffsets(partitions).entrySet()) {
                    if (end.getValue() > 0) {
                        ends.put(end.getKey(), end.getValue());
                    }
                }
                consumer.assign(ends.keySet());
            } catch (KafkaException e) {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
                throw new StoreException("cannot read " + describe() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                ConsumerRecord<byte[], byte[]> record = nextRecord();
                if (record == null) {
                    return false;
                }
                String header = RecordCodec.kindHeader(record);
                if (header != null && !header.equals(kind)) {
                    continue;
                }
                Event event;
                try {
                    event = RecordCodec.decode(record);
                } catch (RejectedLineException e) {
                    skipped.incrementAndGet();
                    continue;
                }
                if (event.kind().key().equals(kind) && query.contains(event.ts()) && seen.add(event.id())) {
                    next = event;
                }
            }
            return true;
        }

        @Override
        public Event next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Event event = next;
            next = null;
            return event;
        }

        /** The next record of the current pass, starting the next pass when it ends; null after the last. */
        private ConsumerRecord<byte[], byte[]> nextRecord() {
            while (buffered.isEmpty()) {
                if (kind == null || passDone()) {
                    if (!kinds.hasNext()) {
                        return null;
                    }
                    kind = kinds.next().key();
                    if (ends.isEmpty()) {
                        continue;
                    }
                    consumer.seekToBeginning(ends.keySet());
                }
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                        if (record.offset() < ends.getOrDefault(tp, 0L)) {
                            buffered.add(record);
                        }
                    }
                } catch (KafkaException e) {
                    throw new StoreException("cannot read " + describe() + ": " + e.getMessage(), e);
                }
            }
            return buffered.poll();
        }

        private boolean passDone() {
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (consumer.position(end.getKey()) < end.getValue()) {
                    return false;
                }
            }
            return true;
        }

        void close() {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
