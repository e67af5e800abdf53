package dev.eventlog.migrate;

import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.LazyCommits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Copies events from one store to another (SQLite to PostgreSQL being the main use), optionally
 * only some kinds and a time range, in batches, streaming the source: a thread of its own reads
 * the next batches while the caller's thread appends the one before. Resumable: appends are
 * idempotent on the id, so running a copy again after a failure appends what is missing and
 * counts the rest as already present. Ends with the same report and content check as an import.
 * Built with {@link #builder()}; not thread-safe.
 */
public final class Copier {
    private final EventStore source;
    private final EventStore target;
    private final EventQuery query;
    private final int batchSize;
    private final boolean checkContent;
    private final MigrationListener listener;
    private final String operation;

    private Copier(Builder builder) {
        this.source = builder.source;
        this.target = builder.target;
        this.query = new EventQuery(builder.kinds, builder.since, builder.until);
        this.batchSize = builder.batchSize;
        this.checkContent = builder.checkContent;
        this.listener = builder.listener;
        this.operation = builder.operation;
    }

    /** A builder; {@link Builder#source} and {@link Builder#target} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Copies every matching event that the target does not hold yet.
     *
     * @throws StoreException when either store fails; batches stored before stay stored and a
     *     re-run completes the copy without duplicates
     */
    public MigrationReport run() {
        ContentChecker checker = checkContent ? new ContentChecker(target) : null;
        try {
            return run(checker);
        } finally {
            if (checker != null) {
                checker.close();
            }
        }
    }

    private MigrationReport run(ContentChecker checker) {
        JsonlEventStore jsonlSource = source.capability(JsonlEventStore.class).orElse(null);
        // Counting a JSONL directory costs a full read, so its total stays unknown.
        long total = jsonlSource != null ? -1 : sum(source.count(query));
        listener.phase(operation.equals("reconcile") ? "replaying" : "copying", total);
        Map<EventKind, KindTally> kinds = new EnumMap<>(EventKind.class);
        long done = 0;
        long imported = 0;
        // Each batch commits without waiting for the disk, the last sync below makes them all
        // durable: a crash of the server before it loses batches a re-run copies again.
        LazyCommits lazy = target.capability(LazyCommits.class).orElse(null);
        try (Reader reader = new Reader(jsonlSource, checker)) {
            for (Object item = reader.take(); item != Reader.END; item = reader.take()) {
                if (item instanceof Batch batch) {
                    imported += lazy != null ? lazy.appendLazily(batch.events()) : target.append(batch.events());
                    if (checker != null) {
                        checker.committed(batch.events());
                    }
                    done += batch.events().size();
                    listener.progress(done);
                } else if (item instanceof KindRead read) {
                    if (read.read() > 0 || read.rejected() > 0) {
                        kinds.put(read.kind(), new KindTally(read.read(), imported, read.read() - imported,
                                read.rejected()));
                    }
                    imported = 0;
                }
            }
        }
        if (lazy != null) {
            lazy.sync();
        }
        Map<String, Long> rows = Rows.perTable(target);
        ContentCheck check = checker == null ? ContentCheck.skipped() : checker.check(target, listener);
        List<String> notes = new ArrayList<>();
        if (query.from() != null || query.until() != null) {
            notes.add("time range [" + (query.from() == null ? "start" : query.from()) + ", "
                    + (query.until() == null ? "end" : query.until()) + ")");
        }
        return new MigrationReport(operation, source.describe(), target.describe(), kinds, rows, check, null, notes);
    }

    /** A batch of one kind's events, read and fingerprinted, to append. */
    private record Batch(List<Event> events) {
    }

    /** The end of one kind: how many events were read and how many lines the source rejected. */
    private record KindRead(EventKind kind, long read, long rejected) {
    }

    /**
     * Reads the source on its own thread, kind after kind, into batches (and the content
     * checker) while the caller's thread appends the batches before them: reading and writing
     * overlap, two batches at most wait in between. Hands out {@link Batch}es, a {@link KindRead}
     * after each kind, then {@link #END}; a failure of the source is thrown by {@link #take()}.
     * Closing stops the thread and closes the source's stream.
     */
    private final class Reader implements AutoCloseable {
        static final Object END = new Object();
        private static final long OFFER_MS = 100;

        private final JsonlEventStore jsonlSource;
        private final ContentChecker checker;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        private final Thread thread;
        private volatile boolean stopped;
        private volatile Throwable failure;

        Reader(JsonlEventStore jsonlSource, ContentChecker checker) {
            this.jsonlSource = jsonlSource;
            this.checker = checker;
            this.thread = new Thread(this::read, "eventlog-" + operation + "-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read() {
            try {
                for (EventKind kind : query.orderedKinds()) {
                    long rejectedBefore = jsonlSource == null ? 0 : jsonlSource.rejectedOnRead();
                    long read = 0;
                    List<Event> batch = new ArrayList<>(batchSize);
                    try (Stream<Event> events = source.read(new EventQuery(Set.of(kind), query.from(),
                            query.until()))) {
                        for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
                            Event event = it.next();
                            read++;
                            batch.add(event);
                            if (checker != null) {
                                checker.add(event);
                            }
                            if (batch.size() >= batchSize) {
                                if (!hand(new Batch(batch))) {
                                    return;
                                }
                                batch = new ArrayList<>(batchSize);
                            }
                        }
                    }
                    if (!batch.isEmpty() && !hand(new Batch(batch))) {
                        return;
                    }
                    long rejected = jsonlSource == null ? 0 : jsonlSource.rejectedOnRead() - rejectedBefore;
                    if (!hand(new KindRead(kind, read, rejected))) {
                        return;
                    }
                }
                hand(END);
            } catch (RuntimeException | Error e) {
                failure = e;
                hand(END);
            }
        }

        /** Queues {@code item}; false when the reader was closed meanwhile. */
        private boolean hand(Object item) {
            try {
                while (!stopped) {
                    if (queue.offer(item, OFFER_MS, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** The next item; throws what the source threw, once the batches read before it are taken. */
        Object take() {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationException(operation + " was interrupted", e);
            }
            if (item == END && failure != null) {
                if (failure instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                throw (Error) failure;
            }
            return item;
        }

        @Override
        public void close() {
            stopped = true;
            queue.clear();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long sum(Map<EventKind, Long> counts) {
        long total = 0;
        for (long count : counts.values()) {
            total += count;
        }
        return total;
    }

    /** Builds a {@link Copier}; not thread-safe. */
    public static final class Builder {
        private EventStore source;
        private EventStore target;
        private Set<EventKind> kinds;
        private Instant since;
        private Instant until;
        private int batchSize = Importer.DEFAULT_BATCH_SIZE;
        private boolean checkContent = true;
        private MigrationListener listener = MigrationListener.NONE;
        private String operation = "copy";

        private Builder() {
        }

        /** The store to read; required. The copier does not close it. */
        public Builder source(EventStore source) {
            this.source = source;
            return this;
        }

        /** The store to append to; required. The copier does not close it. */
        public Builder target(EventStore target) {
            this.target = target;
            return this;
        }

        /** Only these kinds; {@code null} or empty (the default) copies every kind. */
        public Builder kinds(Set<EventKind> kinds) {
            this.kinds = kinds;
            return this;
        }

        /** Only events at or after {@code since}; {@code null} (the default) is open. */
        public Builder since(Instant since) {
            this.since = since;
            return this;
        }

        /** Only events before {@code until}; {@code null} (the default) is open. */
        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        /** Events per append; default {@value Importer#DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Whether every event copied is checked against the target at the end (a {@link ContentCheck}); default true. */
        public Builder checkContent(boolean checkContent) {
            this.checkContent = checkContent;
            return this;
        }

        /** Hears progress, in events; default none. */
        public Builder listener(MigrationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        Builder operation(String operation) {
            this.operation = operation;
            return this;
        }

        /**
         * The copier.
         *
         * @throws ConfigurationException listing every problem: a missing store, the same store as
         *     source and target, a batch size below 1, {@code since} not before {@code until}
         */
        public Copier build() {
            List<String> problems = new ArrayList<>();
            if (source == null) {
                problems.add("source was 'null' but it must be a store to copy from");
            }
            if (target == null) {
                problems.add("target was 'null' but it must be a store to copy to");
            }
            if (source != null && source == target) {
                problems.add("target was '" + target.describe() + "' but it must be another store than the source");
            }
            if (batchSize < 1) {
                problems.add("batchSize was '" + batchSize + "' but it must be at least 1");
            }
            if (since != null && until != null && !since.isBefore(until)) {
                problems.add("until was '" + until + "' but it must be after since '" + since + "'");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new Copier(this);
        }
    }
}
