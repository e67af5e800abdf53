package dev.eventlog.kafka;

import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.StoreException;
import dev.eventlog.StoreNotFoundException;
import dev.eventlog.jsonl.RejectedLineException;
import dev.eventlog.spi.EventStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Copies the events of a Kafka topic into any {@link EventStore}, exactly once in effect: it
 * polls a batch, appends its events to the store, and commits the batch's offsets to its consumer
 * group only after the store committed them. A sink killed at any point restarts from the last
 * committed offset and appends again what the store may already have; the store skips those ids,
 * so nothing is lost and nothing is stored twice.
 *
 * <ul>
 *   <li>When the store fails ({@link StoreException}), the sink pauses its partitions and tries
 *       the same batch again, waiting twice as long each time up to {@link Options#maxBackoff()};
 *       it never skips a batch.</li>
 *   <li>A record that is not an event (see {@link RecordCodec#decode}) goes to the dead-letter
 *       topic {@code TOPIC.dlq} with its origin and the reason in headers
 *       ({@value #ORIGIN_TOPIC}, {@value #ORIGIN_PARTITION}, {@value #ORIGIN_OFFSET},
 *       {@value #REASON}), before the offsets that pass it are committed; it never blocks the
 *       sink.</li>
 *   <li>Each time Kafka confirms a commit, the sink reports its progress and its lag (records not
 *       yet consumed, or whose offsets are not confirmed yet) to its {@link Listener}.</li>
 * </ul>
 *
 * <p>The batches are pipelined: while the store appends one batch (on the sink's store thread),
 * the next waits in the store thread's queue and the sink polls and decodes the one after, so the
 * store thread goes on as soon as a batch is stored, without waiting for the sink's thread. The
 * store sees the batches one at a time and in order; a batch behind a failed append waits until
 * the failed one is stored. The offsets of a stored batch are committed without waiting for
 * Kafka's answer (each commit carries the offsets of every batch stored so far, so a later commit
 * covers an earlier one that failed); the sink waits for the commit of everything stored before
 * it stops, when its partitions are revoked, and before it reports itself caught up. No offset is
 * ever sent ahead of its batch's store commit.
 *
 * <p>One thread runs {@link #run()}; {@link #stop()} may be called from any thread. Several sinks
 * with the same group share the topic's partitions.
 */
public final class KafkaSink implements AutoCloseable {
    /** The dead-letter header naming the record's topic. */
    public static final String ORIGIN_TOPIC = "eventlog-origin-topic";
    /** The dead-letter header naming the record's partition. */
    public static final String ORIGIN_PARTITION = "eventlog-origin-partition";
    /** The dead-letter header naming the record's offset. */
    public static final String ORIGIN_OFFSET = "eventlog-origin-offset";
    /** The dead-letter header saying why the record is not an event. */
    public static final String REASON = "eventlog-reason";

    private static final Duration POLL = Duration.ofMillis(500);
    /**
     * Batches in the store thread's hands: the one it appends and the next, so that it goes on to
     * the next as soon as one is stored, without waiting for the sink's thread to hand it over.
     */
    private static final int IN_FLIGHT = 2;
    /** What the append of a batch queued behind a failed one returns: it did not run. */
    private static final Object SKIPPED = new Object();
    /** How long opening waits for Kafka's answer, as a store's open does. */
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How a sink runs.
     *
     * @param group the consumer group whose offsets record the sink's progress
     * @param untilCaughtUp stop once every partition is consumed to its end, rather than wait for more
     * @param minBackoff the first wait after a store failure
     * @param maxBackoff the longest wait after a store failure
     */
    public record Options(String group, boolean untilCaughtUp, Duration minBackoff, Duration maxBackoff) {
        /** @throws ConfigurationException when the group is blank or a wait is not positive */
        public Options {
            if (group == null || group.isBlank()) {
                throw new ConfigurationException("group was '" + group + "' but it must name a consumer group");
            }
            Objects.requireNonNull(minBackoff, "minBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new ConfigurationException("the waits after a store failure were " + minBackoff + " to "
                        + maxBackoff + " but they must be positive, the first no longer than the longest");
            }
        }

        /** The default options for {@code group}: run until stopped, waits from 100 ms to 30 s. */
        public static Options of(String group) {
            return new Options(group, false, Duration.ofMillis(100), Duration.ofSeconds(30));
        }

        /** These options, stopping once caught up or not. */
        public Options untilCaughtUp(boolean stop) {
            return new Options(group, stop, minBackoff, maxBackoff);
        }

        /** These options with other waits after a store failure. */
        public Options backoff(Duration first, Duration longest) {
            return new Options(group, untilCaughtUp, first, longest);
        }
    }

    /**
     * The sink's totals so far. Immutable.
     *
     * @param consumed records consumed whose offsets Kafka confirmed as committed
     * @param stored events the store took as new
     * @param deadLettered records sent to the dead-letter topic
     * @param retries store failures met, each followed by a retry of the same batch
     * @param lag records of the sink's partitions not yet committed (not fetched yet, or in a batch in hand), as
     *     last seen; -1 while not known
     */
    public record Progress(long consumed, long stored, long deadLettered, long retries, long lag) {
    }

    /** Hears what a sink does; called on the sink's thread. The defaults do nothing. */
    public interface Listener {
        /** Kafka confirmed the commit of the offsets of the batches stored so far. */
        default void committed(Progress progress) {
        }

        /** The store failed; the same batch is tried again after {@code wait}. */
        default void storeFailed(StoreException failure, Duration wait) {
        }

        /**
         * The offsets of stored batches could not be committed: unless a later commit covers them,
         * those batches will be read again, harmlessly.
         */
        default void notCommitted(String reason) {
        }

        /** A record that is not an event went to the dead-letter topic. */
        default void deadLettered(String topic, int partition, long offset, String reason) {
        }
    }

    private final KafkaUrl from;
    private final EventStore to;
    private final Options options;
    private final Listener listener;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Made at the first record that is not an event: most sinks never need it. */
    private KafkaProducer<byte[], byte[]> deadLetters;
    private final ExecutorService storeThread;
    private volatile boolean stopping;
    private boolean retrying;
    /**
     * The batches handed to the store thread and not finished yet, oldest first, at most
     * {@value #IN_FLIGHT}; touched on the sink's thread only.
     */
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>(IN_FLIGHT);
    /**
     * Set by the store thread when an append failed: the batches queued behind it skip their
     * turn, so that none is stored before the failed one; cleared by the sink's thread once the
     * failed batch is stored, when it hands them over again.
     */
    private volatile boolean halted;
    private long consumed;
    private long stored;
    private long deadLettered;
    private long retries;
    private long lag;
    /** Records polled so far: those whose offsets are not confirmed yet are part of the lag. */
    private long polled;
    /** Records of the batches stored so far (dead letters included), their offsets confirmed or not. */
    private long storedRecords;
    /**
     * The offset after the last stored record of each partition whose commit Kafka has not
     * confirmed yet; touched on the sink's thread only (commit callbacks run inside its polls).
     */
    private final Map<TopicPartition, OffsetAndMetadata> unconfirmed = new HashMap<>();

    /**
     * A sink from the topic of {@code from} into {@code to}; nothing is read until {@link #run()}.
     * The dead-letter topic is created when it does not exist.
     *
     * @throws StoreException when Kafka cannot be reached or the topic does not exist
     */
    public KafkaSink(KafkaUrl from, EventStore to, Options options, Listener listener) {
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        try {
            this.consumer = new KafkaConsumer<>(KafkaClients.consumer(from, "eventlog-sink", options.group()));
        } catch (KafkaException e) {
            throw new StoreException("cannot open a Kafka consumer for " + from.describe() + ": " + e.getMessage(), e);
        }
        try {
            checkTopics();
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
        this.storeThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "eventlog-sink-store");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Checks that the topic exists, and creates the dead-letter topic when it does not, with one
     * metadata request of the sink's own consumer (whose connection then serves its group join);
     * an admin client is made only to create the dead-letter topic.
     */
    private void checkTopics() {
        Map<String, List<PartitionInfo>> topics;
        try {
            topics = consumer.listTopics(OPEN_TIMEOUT);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new StoreException("cannot open " + from.describe() + ": Kafka did not answer within "
                    + OPEN_TIMEOUT.toSeconds() + " s", e);
        } catch (KafkaException e) {
            throw new StoreException("cannot open " + from.describe() + ": " + e.getMessage(), e);
        }
        if (!topics.containsKey(from.topic())) {
            throw new StoreNotFoundException(KafkaUrl.SCHEME + from.bootstrap() + "/" + from.topic(),
                    "its topic must exist");
        }
        if (!topics.containsKey(from.deadLetterTopic())) {
            KafkaEventStore.ensureTopics(from, List.of(from.topic()), List.of(from.deadLetterTopic()));
        }
    }

    /** A polled batch: its events, the offsets that pass it, and the store's append of it once handed over. */
    private static final class Batch {
        final List<Event> events;
        final Map<TopicPartition, OffsetAndMetadata> offsets;
        final int records;
        Future<Object> append;
        /** The events the store took as new, once known; -1 before. */
        int stored = -1;

        Batch(List<Event> events, Map<TopicPartition, OffsetAndMetadata> offsets, int records) {
            this.events = events;
            this.offsets = offsets;
            this.records = records;
        }
    }

    /**
     * Consumes until {@link #stop()}, or until caught up when the options say so.
     *
     * @return the totals
     * @throws StoreException when Kafka fails in a way retrying cannot mend
     */
    public Progress run() {
        consumer.subscribe(List.of(from.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Commit the batch in the store's hands while its partitions are still this sink's,
                // so that their next owner does not read it again (harmless, but wasted).
                lag = -1;
                finishQuietly();
                commitStoredQuietly();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                lag = -1;
                if (retrying) {
                    // Called inside poll, before it fetches: a partition won while retrying stays paused.
                    consumer.pause(partitions);
                }
            }
        });
        try {
            while (!stopping) {
                // With a batch in the store's hands, take only what is fetched already, so that
                // the batch is committed as soon as it is stored when nothing else is waiting.
                ConsumerRecords<byte[], byte[]> records = consumer.poll(inFlight.isEmpty() ? POLL : Duration.ZERO);
                if (records.isEmpty()) {
                    if (!inFlight.isEmpty()) {
                        finish();
                    }
                    if (options.untilCaughtUp() && inFlight.isEmpty() && caughtUp()) {
                        break;
                    }
                    continue;
                }
                polled += records.count();
                Batch next = decode(records);
                if (inFlight.size() >= IN_FLIGHT) {
                    finish();
                }
                hand(next);
            }
            while (!inFlight.isEmpty()) {
                finish();
            }
            commitStored();
        } catch (WakeupException e) {
            if (!stopping) {
                throw new StoreException("the sink from " + from.describe() + " was woken up unexpectedly", e);
            }
            finishQuietly();
            commitStoredQuietly();
        } catch (KafkaException e) {
            throw new StoreException("the sink from " + from.describe() + " failed: " + e.getMessage(), e);
        } finally {
            awaitInFlight();
        }
        return progress();
    }

    /** Makes {@link #run()} return after the batch in hand; callable from any thread. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    /** The totals so far. */
    public Progress progress() {
        return new Progress(consumed, stored, deadLettered, retries, lag);
    }

    /** The events of {@code records}, sending those that are not events to the dead-letter topic. */
    private Batch decode(ConsumerRecords<byte[], byte[]> records) {
        List<Event> events = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> part = records.records(partition);
            if (part.isEmpty()) {
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : part) {
                try {
                    events.add(RecordCodec.decode(record));
                } catch (RejectedLineException e) {
                    deadLetter(record, e.getMessage());
                }
            }
            offsets.put(partition, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
        }
        return new Batch(events, offsets, records.count());
    }

    /**
     * Hands {@code batch} to the store thread, which appends it after the batches before it; the
     * sink's thread goes on polling.
     */
    private void hand(Batch batch) {
        if (!batch.events.isEmpty()) {
            batch.append = storeThread.submit(() -> appendInTurn(batch));
        }
        inFlight.addLast(batch);
    }

    /**
     * On the store thread: appends {@code batch}, unless an append before it failed and was not
     * stored yet ({@link #SKIPPED}); a failure stops the batches behind it.
     */
    private Object appendInTurn(Batch batch) {
        if (halted) {
            return SKIPPED;
        }
        try {
            return to.append(batch.events);
        } catch (RuntimeException e) {
            halted = true;
            throw e;
        }
    }

    /**
     * Waits until the store stored the oldest batch in flight, trying it again after each store
     * failure until it succeeds or the sink stops, then commits its offsets.
     */
    private void finish() {
        Batch batch = inFlight.peekFirst();
        if (batch.append != null && batch.stored < 0) {
            Object first = outcome(batch);
            if (first == SKIPPED) {
                // Behind a batch that failed and was given up (not a path the sink takes): in turn again.
                handAgain();
                first = outcome(batch);
            }
            if (first instanceof StoreException) {
                batch.stored = appendUntilStored(batch.events, first);
                stored += batch.stored;
                inFlight.removeFirst();
                commit(batch);
                handAgain();
                return;
            }
            batch.stored = (Integer) first;
            stored += batch.stored;
        }
        inFlight.removeFirst();
        commit(batch);
    }

    /**
     * Once a failed batch is stored: hands the batches behind it, which skipped their turn, to
     * the store thread again, in order.
     */
    private void handAgain() {
        List<Batch> skipped = new ArrayList<>(IN_FLIGHT);
        for (Batch later : inFlight) {
            if (later.append != null && later.stored < 0 && outcome(later) == SKIPPED) {
                skipped.add(later);
            }
        }
        halted = false;
        for (Batch later : skipped) {
            later.append = storeThread.submit(() -> appendInTurn(later));
        }
    }

    /**
     * Commits the batches in flight that the store stored, oldest first, up to the first that
     * failed, without retrying it: for a sink that stops (a failed batch is then read again at
     * the next start) or whose partitions are being revoked (a failed batch stays in flight, and
     * is tried again after the poll).
     */
    private void finishQuietly() {
        while (!inFlight.isEmpty()) {
            Batch batch = inFlight.peekFirst();
            if (batch.append != null && batch.stored < 0) {
                Object outcome = outcome(batch);
                if (!(outcome instanceof Integer count)) {
                    return;
                }
                batch.stored = count;
                stored += count;
            }
            inFlight.removeFirst();
            commit(batch);
        }
    }

    /**
     * The count the store's append of {@code batch} returned, the {@link StoreException} it threw,
     * or {@link #SKIPPED}.
     */
    private static Object outcome(Batch batch) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return batch.append.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException failure) {
                return failure;
            }
            if (e.getCause() instanceof RuntimeException unexpected) {
                throw unexpected;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the store appends still queued or running, so that the store is not closed under them. */
    private void awaitInFlight() {
        for (Batch batch : inFlight) {
            if (batch.append != null) {
                try {
                    outcome(batch);
                } catch (RuntimeException e) {
                    listener.notCommitted("a batch failed in the store while the sink stopped; it is read again at "
                            + "the next start (" + e + ")");
                }
            }
        }
        inFlight.clear();
    }

    /**
     * Sends the commit of the offsets of every batch stored so far, {@code batch} the last of them,
     * without waiting for Kafka's answer, which a later poll or {@link #commitStored()} hears.
     */
    private void commit(Batch batch) {
        for (Map.Entry<TopicPartition, OffsetAndMetadata> next : batch.offsets.entrySet()) {
            unconfirmed.merge(next.getKey(), next.getValue(), (a, b) -> b.offset() > a.offset() ? b : a);
        }
        storedRecords += batch.records;
        // A partition lost to another sink while the store was retried is replayed by its new
        // owner; the ids make that harmless, and its offsets are not this sink's to commit.
        unconfirmed.keySet().retainAll(consumer.assignment());
        if (unconfirmed.isEmpty()) {
            confirmed(Map.of(), storedRecords);
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(unconfirmed);
        long upTo = storedRecords;
        consumer.commitAsync(offsets, (committed, failure) -> {
            if (failure == null) {
                confirmed(offsets, upTo);
            } else {
                listener.notCommitted("the offsets of stored batches could not be committed (" + failure.getMessage()
                        + "); the next commit carries them again, and should none succeed the batches are read "
                        + "again and the store skips their ids");
            }
        });
    }

    /**
     * Commits the offsets of every batch stored so far and waits for Kafka's answer: before the
     * sink stops or reports itself caught up.
     */
    private void commitStored() {
        unconfirmed.keySet().retainAll(consumer.assignment());
        if (unconfirmed.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(unconfirmed);
        try {
            consumer.commitSync(offsets);
            confirmed(offsets, storedRecords);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            unconfirmed.clear();
            listener.notCommitted("the group " + options.group() + " was rebalanced before the offsets of stored "
                    + "batches were committed; their new owner reads the batches again and the store skips their ids ("
                    + e.getMessage() + ")");
        }
    }

    /** {@link #commitStored()} for a sink that stops or loses its partitions: a failure is only reported. */
    private void commitStoredQuietly() {
        try {
            commitStored();
        } catch (KafkaException e) {
            unconfirmed.clear();
            listener.notCommitted("the offsets of stored batches could not be committed while the sink stopped or "
                    + "lost its partitions; they are read again and the store skips their ids (" + e.getMessage() + ")");
        }
    }

    /** Kafka confirmed {@code offsets}, which pass the first {@code upTo} records stored. */
    private void confirmed(Map<TopicPartition, OffsetAndMetadata> offsets, long upTo) {
        for (Map.Entry<TopicPartition, OffsetAndMetadata> done : offsets.entrySet()) {
            unconfirmed.remove(done.getKey(), done.getValue());
        }
        consumed = Math.max(consumed, upTo);
        long fetched = fetchedLag();
        lag = fetched < 0 ? -1 : fetched + polled - consumed;
        listener.committed(progress());
    }

    /**
     * Stores {@code events} after the store's first try ended with {@code first} (a count, or
     * the {@link StoreException} it threw), trying again after each failure until it succeeds or
     * the sink stops.
     */
    private int appendUntilStored(List<Event> events, Object first) {
        if (first instanceof Integer count) {
            return count;
        }
        StoreException failure = (StoreException) first;
        Duration wait = options.minBackoff();
        try {
            while (true) {
                retries++;
                listener.storeFailed(failure, wait);
                if (!retrying) {
                    consumer.pause(consumer.assignment());
                    retrying = true;
                }
                sleepPolling(wait);
                if (stopping) {
                    throw new WakeupException();
                }
                wait = wait.multipliedBy(2).compareTo(options.maxBackoff()) > 0 ? options.maxBackoff()
                        : wait.multipliedBy(2);
                try {
                    return to.append(events);
                } catch (StoreException e) {
                    failure = e;
                }
            }
        } finally {
            if (retrying) {
                retrying = false;
                consumer.resume(consumer.paused());
            }
        }
    }

    /** Waits {@code wait} while polling the paused consumer, so that it stays in its group. */
    private void sleepPolling(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (!stopping && System.nanoTime() < end) {
            Duration left = Duration.ofNanos(end - System.nanoTime());
            ConsumerRecords<byte[], byte[]> early = consumer.poll(left.compareTo(POLL) < 0 ? left : POLL);
            // Records of a partition that was not paused yet are read again after the retry.
            for (TopicPartition tp : early.partitions()) {
                consumer.seek(tp, early.records(tp).get(0).offset());
            }
            consumer.pause(consumer.assignment());
        }
    }

    /** Sends {@code record} to the dead-letter topic and waits for Kafka's acknowledgement, retrying until it has it. */
    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(ORIGIN_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN_PARTITION, String.valueOf(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN_OFFSET, String.valueOf(record.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(from.deadLetterTopic(), null, null, record.key(),
                record.value(), headers);
        try {
            if (deadLetters == null) {
                deadLetters = new KafkaProducer<>(KafkaClients.producer(from, "eventlog-sink-dlq"));
            }
            sendUntilAcknowledged(dead, options.minBackoff());
        } finally {
            if (retrying) {
                retrying = false;
                consumer.resume(consumer.paused());
            }
        }
        deadLettered++;
        listener.deadLettered(record.topic(), record.partition(), record.offset(), reason);
    }

    private void sendUntilAcknowledged(ProducerRecord<byte[], byte[]> dead, Duration firstWait) {
        Duration wait = firstWait;
        while (true) {
            try {
                deadLetters.send(dead).get();
                return;
            } catch (ExecutionException e) {
                retries++;
                if (!retrying) {
                    consumer.pause(consumer.assignment());
                    retrying = true;
                }
                listener.storeFailed(new StoreException("cannot write to the dead-letter topic "
                        + from.deadLetterTopic() + ": " + e.getCause().getMessage(), e.getCause()), wait);
                sleepPolling(wait);
                if (stopping) {
                    throw new WakeupException();
                }
                wait = wait.multipliedBy(2).compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : wait.multipliedBy(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
    }

    /**
     * The lag of the assigned partitions as the last fetches saw it, without asking the broker;
     * a partition not fetched yet counts as unknown (-1 for the whole).
     */
    private long fetchedLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            var partitionLag = consumer.currentLag(tp);
            if (partitionLag.isEmpty()) {
                return -1;
            }
            total += partitionLag.getAsLong();
        }
        return total;
    }

    /**
     * Whether every assigned partition is consumed to its end. The end offsets the last fetches
     * brought are enough: every fetch was answered after the sink started, so a record that Kafka
     * acknowledged before then lies within them. Asking the broker instead would wait behind the
     * fetch that is then pending on the same connection (the broker answers a connection's
     * requests in order, and holds a fetch that finds nothing for {@code fetch.max.wait.ms}); it
     * is asked only while a partition has not been fetched yet.
     */
    private boolean caughtUp() {
        if (consumer.assignment().isEmpty()) {
            return false;
        }
        long fetched = fetchedLag();
        if (fetched >= 0) {
            lag = fetched;
            return fetched == 0;
        }
        return measureLag() == 0;
    }

    /** Measures the lag of the assigned partitions: their end offsets less the consumer's positions. */
    private long measureLag() {
        long total = 0;
        var assigned = consumer.assignment();
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        for (TopicPartition tp : assigned) {
            total += Math.max(0, ends.getOrDefault(tp, 0L) - consumer.position(tp));
        }
        lag = total;
        return total;
    }

    /** Closes the consumer, the dead-letter producer and the store thread; not the store, which the caller owns. */
    @Override
    public void close() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        } finally {
            try {
                if (deadLetters != null) {
                    deadLetters.close(Duration.ofSeconds(10));
                }
            } finally {
                storeThread.shutdown();
            }
        }
    }
}
