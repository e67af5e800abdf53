package dev.eventlog.migrate;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.RowDigests;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Remembers the hash of every event a run sends to a target, then proves the target holds them
 * and builds the {@link ContentCheck}.
 *
 * <p>Against a target with {@link RowDigests} (PostgreSQL, SQLite) the hash is the store's own row hash,
 * and the events sent are also summed per hour of event time; the check asks the database for
 * the same sums over its rows in one query per kind, and an hour whose count and sum agree holds
 * every event sent in it exactly as sent (the hash covers every column). Only the hours that
 * disagree — an event missing or differing, or rows of the hour this run did not send — are read
 * back and compared row by row. Against any other target every event is read back over the time
 * range of those sent and compared by its {@link EventFingerprints fingerprint}.
 *
 * <p>The sums of an hour cover each distinct id sent once, with the hash and time of its first
 * occurrence in the run: a later copy of an id already sent is not summed again (the target keeps
 * the first one too). This holds whether or not the id was spilled in between.
 *
 * <p>Memory is bounded: up to {@link #DEFAULT_SPILL_AT} ids of a kind are kept in a table (about
 * 60 bytes each); past that, each full table is written to a temporary file as a run sorted by
 * id (id, hash and time: 32 bytes per id on disk), the read-back is spilled the same way, and the
 * two sorted sequences are merged. The per-hour sums stay in memory (two longs per hour); once a
 * kind has spilled they are computed again from its merged runs, so that an id sent again after
 * its first copy was spilled is still summed once. {@link #close()} deletes the files.
 *
 * <p>Against a target that can sum while it appends, the hours a run has finished with are summed
 * during the run ({@link EarlySums}, after each committed batch, {@link #committed}), and the
 * check at the end asks only for the hours whose early sums do not agree.
 *
 * <p>{@link #add} is called by one thread (the run's reader), {@link #committed} by one other (the
 * run's appender), {@link #check} afterwards; not thread-safe otherwise.
 */
final class ContentChecker implements AutoCloseable {
    static final int FIRST_IDS = 10;
    /** Ids of one kind held in memory before they are spilled: about 16 MB of table. */
    static final int DEFAULT_SPILL_AT = 1 << 18;

    private final Map<EventKind, Sent> sent = new EnumMap<>(EventKind.class);
    private final RowDigests digests;
    private final int spillAt;
    private final Path spillDirectory;
    /** The hours summed while the run goes on, when the target can ({@link RowDigests#sumsWhileAppending()}). */
    private final EarlySums early;
    private RowDigests.Hasher hasher;
    private EventFingerprints fingerprints;

    /** A checker for {@code target}: by row hashes when it has {@link RowDigests}, else by reading back. */
    ContentChecker(EventStore target) {
        this(target, DEFAULT_SPILL_AT);
    }

    /** A checker for {@code target} that spills a kind's ids to disk every {@code spillAt} ids (small in tests). */
    ContentChecker(EventStore target, int spillAt) {
        this(target, spillAt, null);
    }

    /**
     * A checker for {@code target} that spills a kind's ids every {@code spillAt} ids into
     * {@code spillDirectory} (the JVM's temporary directory when {@code null}).
     */
    ContentChecker(EventStore target, int spillAt, Path spillDirectory) {
        this.digests = target.capability(RowDigests.class).orElse(null);
        this.spillAt = spillAt;
        this.spillDirectory = spillDirectory;
        this.early = digests != null && digests.sumsWhileAppending() ? new EarlySums(digests) : null;
    }

    /** Notes that {@code event} was sent; called by the one thread that reads the source. */
    void add(Event event) {
        Sent kind = sent.computeIfAbsent(event.kind(), k -> new Sent(spillDirectory));
        long millis = event.ts().toEpochMilli();
        long hash = hashOnReader(event);
        // Once the kind has spilled, "new to the table" no longer means "new to the run": its
        // sums are computed again from the merged runs by check().
        if (kind.ids.put(event.id(), hash, millis) && !kind.runs.any()) {
            kind.sum(bucketOf(millis), hash);
        }
        if (kind.ids.size() >= spillAt) {
            kind.runs.spill(kind.ids);
        }
        kind.minMillis = Math.min(kind.minMillis, millis);
        kind.maxMillis = Math.max(kind.maxMillis, millis);
    }

    /**
     * Notes that the target committed {@code batch} (events of one kind, as appended); called by the
     * one thread that appends, after the append returned. The hours the run has finished with may
     * then be summed by the target on a thread of its own ({@link EarlySums}).
     */
    void committed(List<Event> batch) {
        if (early != null) {
            early.committed(batch);
        }
    }

    private long hashOnReader(Event event) {
        if (digests != null) {
            if (hasher == null) {
                hasher = digests.hasher();
            }
            return hasher.hash(event);
        }
        if (fingerprints == null) {
            fingerprints = new EventFingerprints();
        }
        return ContentDigest.shortForm(fingerprints.of(event));
    }

    /** Proves every kind sent against {@code target} (the store given to the constructor) and compares. */
    ContentCheck check(EventStore target, MigrationListener listener) {
        Tally tally = new Tally();
        for (Sent kind : sent.values()) {
            if (kind.runs.any()) {
                kind.runs.spill(kind.ids);
                kind.count = summedFromRuns(kind);
            } else {
                kind.count = kind.ids.size();
            }
            tally.checked += kind.count;
        }
        Map<EventKind, Map<Long, RowDigests.Bucket>> earlySums = early == null ? Map.of() : early.finish();
        listener.phase("checking", tally.checked);
        ToLongFunction<Event> readHash;
        if (digests == null) {
            EventFingerprints readFingerprints = new EventFingerprints();
            readHash = e -> ContentDigest.shortForm(readFingerprints.of(e));
        } else {
            RowDigests.Hasher readHasher = digests.hasher();
            readHash = readHasher::hash;
        }
        for (Map.Entry<EventKind, Sent> entry : sent.entrySet()) {
            EventKind kindKey = entry.getKey();
            Sent kind = entry.getValue();
            Instant from = Instant.ofEpochMilli(kind.minMillis);
            Instant until = Instant.ofEpochMilli(kind.maxMillis + 1);
            List<EventQuery> queries = new ArrayList<>();
            Set<Long> differing = null;
            if (digests == null) {
                queries.add(new EventQuery(Set.of(kindKey), from, until));
            } else {
                differing = differingBuckets(kindKey, kind, from, until,
                        earlySums.getOrDefault(kindKey, Map.of()));
                for (long bucket : differing) {
                    Instant start = Instant.ofEpochMilli(bucket * RowDigests.BUCKET_MILLIS);
                    queries.add(new EventQuery(Set.of(kindKey), start, start.plusMillis(RowDigests.BUCKET_MILLIS)));
                }
            }
            if (kind.runs.any()) {
                checkSpilled(target, queries, differing, kind, readHash, tally, listener);
            } else {
                checkInMemory(target, queries, differing, kind, readHash, tally, listener);
            }
        }
        listener.progress(tally.checked);
        return new ContentCheck(true, tally.checked, tally.identical, tally.differing, tally.missing,
                tally.firstDiffering, tally.firstMissing);
    }

    /** Deletes the spilled runs' files, if any. */
    @Override
    public void close() {
        if (early != null) {
            early.close();
        }
        for (Sent kind : sent.values()) {
            kind.runs.close();
            kind.read.close();
        }
    }

    private static long bucketOf(long millis) {
        return Math.floorDiv(millis, RowDigests.BUCKET_MILLIS);
    }

    /**
     * The hours whose count or sum of hashes in the target is not that of the events sent. An hour
     * whose sums read during the run ({@code early}) agree is proven by them; the others are asked
     * now, in one query over the range they span within {@code [from, until)}.
     */
    private Set<Long> differingBuckets(EventKind kindKey, Sent kind, Instant from, Instant until,
            Map<Long, RowDigests.Bucket> early) {
        TreeSet<Long> left = new TreeSet<>();
        kind.buckets.forEach((bucket, sums) -> {
            if (!agrees(early.get(bucket), sums)) {
                left.add(bucket);
            }
        });
        Set<Long> differing = new TreeSet<>();
        if (left.isEmpty()) {
            return differing;
        }
        Instant start = Instant.ofEpochMilli(Math.max(from.toEpochMilli(), left.first() * RowDigests.BUCKET_MILLIS));
        Instant end = Instant.ofEpochMilli(Math.min(until.toEpochMilli(), (left.last() + 1) * RowDigests.BUCKET_MILLIS));
        Map<Long, RowDigests.Bucket> stored = digests.sums(kindKey, start, end);
        for (long bucket : left) {
            if (!agrees(stored.get(bucket), kind.buckets.get(bucket))) {
                differing.add(bucket);
            }
        }
        return differing;
    }

    private static boolean agrees(RowDigests.Bucket theirs, long[] sums) {
        return theirs != null && theirs.count() == sums[0] && theirs.sum() == sums[1];
    }

    /**
     * Counts the kind's distinct ids in its merged runs and computes its per-hour sums again from
     * them: each id once, with its first hash and time.
     */
    private static long summedFromRuns(Sent kind) {
        kind.buckets.clear();
        kind.lastBucket = Long.MIN_VALUE;
        long count = 0;
        try (IdRuns.Merged ids = kind.runs.merged()) {
            while (ids.next()) {
                kind.sum(bucketOf(ids.millis), ids.hash);
                count++;
            }
        }
        return count;
    }

    /**
     * The sent ids are in the table: the events of {@code queries} are read back and matched by
     * id. With {@code differing} (the row-digest path) the ids of every other hour are proven by
     * the sums and counted identical without being read.
     */
    private static void checkInMemory(EventStore target, List<EventQuery> queries, Set<Long> differing, Sent kind,
            ToLongFunction<Event> readHash, Tally tally, MigrationListener listener) {
        if (differing != null) {
            int proven = kind.ids.markSeenWhere(millis -> !differing.contains(bucketOf(millis)));
            tally.identical += proven;
            tally.progress(proven, listener);
        }
        for (EventQuery query : queries) {
            try (Stream<Event> events = target.read(query)) {
                for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
                    Event event = it.next();
                    if (!kind.ids.isUnseen(event.id())) {
                        continue;
                    }
                    int match = kind.ids.match(event.id(), readHash.applyAsLong(event));
                    tally.compared(match == IdHashTable.SAME, event.id(), listener);
                }
            }
        }
        tally.missing += kind.ids.unseen();
        kind.ids.forEachUnseen(tally::noteMissing);
    }

    /**
     * The sent ids are in sorted runs: the events of {@code queries} read back are spilled to
     * sorted runs too, and the two merged sequences are walked side by side. With {@code
     * differing} (the row-digest path) a sent id whose hour is not in it is proven by the sums.
     */
    private void checkSpilled(EventStore target, List<EventQuery> queries, Set<Long> differing, Sent kind,
            ToLongFunction<Event> readHash, Tally tally, MigrationListener listener) {
        // The sent ids are all in runs now: their emptied table buffers the events read back.
        IdHashTable buffer = kind.ids;
        long base = tally.done;
        long read = 0;
        for (EventQuery query : queries) {
            try (Stream<Event> events = target.read(query)) {
                for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
                    Event event = it.next();
                    buffer.put(event.id(), readHash.applyAsLong(event), event.ts().toEpochMilli());
                    if (buffer.size() >= spillAt) {
                        kind.read.spill(buffer);
                    }
                    if (++read % 10_000 == 0) {
                        listener.progress(base + Math.min(read, kind.count));
                    }
                }
            }
        }
        kind.read.spill(buffer);
        if (differing != null && differing.isEmpty()) {
            // Every hour's count and sum agree: each distinct id sent (kind.count, from the merged
            // runs) is proven without walking the runs again.
            tally.identical += kind.count;
            tally.progress(kind.count, MigrationListener.NONE);
            return;
        }
        try (IdRuns.Merged sentIds = kind.runs.merged(); IdRuns.Merged readIds = kind.read.merged()) {
            boolean more = readIds.next();
            while (sentIds.next()) {
                UUID id = new UUID(sentIds.hi, sentIds.lo);
                if (differing != null && !differing.contains(bucketOf(sentIds.millis))) {
                    tally.identical++;
                    tally.progress(1, MigrationListener.NONE);
                    continue;
                }
                while (more && IdHashTable.compare(readIds.hi, readIds.lo, sentIds.hi, sentIds.lo) < 0) {
                    more = readIds.next();
                }
                if (more && readIds.hi == sentIds.hi && readIds.lo == sentIds.lo) {
                    tally.compared(readIds.hash == sentIds.hash, id, MigrationListener.NONE);
                } else {
                    tally.missing++;
                    tally.noteMissing(id);
                }
            }
        }
    }

    /** The events of one kind that were sent. */
    private static final class Sent {
        final IdHashTable ids = new IdHashTable();
        final IdRuns runs;
        final IdRuns read;
        /** Per hour of event time: the count and the sum of the hashes of the distinct ids sent (first copies). */
        final Map<Long, long[]> buckets = new HashMap<>();
        long count;
        long minMillis = Long.MAX_VALUE;
        long maxMillis = Long.MIN_VALUE;
        private long lastBucket = Long.MIN_VALUE;
        private long[] last;

        Sent(Path spillDirectory) {
            runs = new IdRuns(spillDirectory);
            read = new IdRuns(spillDirectory);
        }

        void sum(long bucket, long hash) {
            if (bucket != lastBucket) {
                last = buckets.computeIfAbsent(bucket, b -> new long[2]);
                lastBucket = bucket;
            }
            last[0]++;
            last[1] += hash;
        }
    }

    /** The counts of one check. */
    private static final class Tally {
        long checked;
        long identical;
        long differing;
        long missing;
        long done;
        final List<UUID> firstDiffering = new ArrayList<>();
        final List<UUID> firstMissing = new ArrayList<>();

        void compared(boolean same, UUID id, MigrationListener listener) {
            if (same) {
                identical++;
            } else {
                differing++;
                if (firstDiffering.size() < FIRST_IDS) {
                    firstDiffering.add(id);
                }
            }
            progress(1, listener);
        }

        void progress(long more, MigrationListener listener) {
            long before = done;
            done += more;
            if (done / 10_000 != before / 10_000) {
                listener.progress(done);
            }
        }

        void noteMissing(UUID id) {
            if (firstMissing.size() < FIRST_IDS) {
                firstMissing.add(id);
            }
        }
    }
}
