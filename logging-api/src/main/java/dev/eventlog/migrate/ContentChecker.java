package dev.eventlog.migrate;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.RowDigests;
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
import java.util.stream.Stream;

/**
 * Remembers the hash of every event a run sends to a target, then proves the target holds them
 * and builds the {@link ContentCheck}. Memory: about 60 bytes per event sent.
 *
 * <p>Against a target with {@link RowDigests} (PostgreSQL) the hash is the store's own row hash,
 * and the events sent are also summed per hour of event time; the check asks the database for
 * the same sums over its rows in one query per kind, and an hour whose count and sum agree holds
 * every event sent in it exactly as sent (the hash covers every column). Only the hours that
 * disagree — an event missing or differing, or rows of the hour this run did not send — are read
 * back and compared row by row. Against any other target every event is read back over the time
 * range of those sent and compared by its {@link EventFingerprints fingerprint}.
 *
 * <p>{@link #add} is called by one thread (the run's reader), {@link #check} afterwards by
 * another; not thread-safe otherwise.
 */
final class ContentChecker {
    static final int FIRST_IDS = 10;

    private final Map<EventKind, Sent> sent = new EnumMap<>(EventKind.class);
    private final RowDigests digests;
    private RowDigests.Hasher hasher;
    private EventFingerprints fingerprints;

    /** A checker for {@code target}: by row hashes when it has {@link RowDigests}, else by reading back. */
    ContentChecker(EventStore target) {
        this.digests = target.capability(RowDigests.class).orElse(null);
    }

    /** Notes that {@code event} was sent; called by the one thread that reads the source. */
    void add(Event event) {
        Sent kind = sent.computeIfAbsent(event.kind(), k -> new Sent());
        long millis = event.ts().toEpochMilli();
        long hash = hashOnReader(event);
        if (kind.ids.put(event.id(), hash, millis)) {
            kind.sum(Math.floorDiv(millis, RowDigests.BUCKET_MILLIS), hash);
        }
        kind.minMillis = Math.min(kind.minMillis, millis);
        kind.maxMillis = Math.max(kind.maxMillis, millis);
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
        long checked = 0;
        for (Sent kind : sent.values()) {
            checked += kind.ids.size();
        }
        listener.phase("checking", checked);
        Result result = new Result(listener);
        RowDigests.Hasher readHasher = digests == null ? null : digests.hasher();
        EventFingerprints readFingerprints = digests == null ? new EventFingerprints() : null;
        for (Map.Entry<EventKind, Sent> entry : sent.entrySet()) {
            EventKind kindKey = entry.getKey();
            Sent kind = entry.getValue();
            Instant from = Instant.ofEpochMilli(kind.minMillis);
            Instant until = Instant.ofEpochMilli(kind.maxMillis + 1);
            if (digests == null) {
                compareRows(target, new EventQuery(Set.of(kindKey), from, until), kind, result,
                        e -> ContentDigest.shortForm(readFingerprints.of(e)));
            } else {
                Map<Long, RowDigests.Bucket> stored = digests.sums(kindKey, from, until);
                Set<Long> differing = new TreeSet<>();
                kind.buckets.forEach((bucket, sums) -> {
                    RowDigests.Bucket theirs = stored.get(bucket);
                    if (theirs == null || theirs.count() != sums[0] || theirs.sum() != sums[1]) {
                        differing.add(bucket);
                    }
                });
                int proven = kind.ids.markSeenWhere(
                        millis -> !differing.contains(Math.floorDiv(millis, RowDigests.BUCKET_MILLIS)));
                result.identical += proven;
                result.progress(proven);
                for (long bucket : differing) {
                    Instant start = Instant.ofEpochMilli(bucket * RowDigests.BUCKET_MILLIS);
                    compareRows(target, new EventQuery(Set.of(kindKey), start,
                            start.plusMillis(RowDigests.BUCKET_MILLIS)), kind, result, readHasher::hash);
                }
            }
            result.missing += kind.ids.unseen();
            kind.ids.forEachUnseen(id -> {
                if (result.firstMissing.size() < FIRST_IDS) {
                    result.firstMissing.add(id);
                }
            });
        }
        listener.progress(checked);
        return new ContentCheck(true, checked, result.identical, result.differing, result.missing,
                result.firstDiffering, result.firstMissing);
    }

    /** Reads {@code query}'s events back and matches each one sent and not matched yet by its hash. */
    private static void compareRows(EventStore target, EventQuery query, Sent kind, Result result,
            java.util.function.ToLongFunction<Event> hash) {
        try (Stream<Event> events = target.read(query)) {
            for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
                Event event = it.next();
                if (!kind.ids.isUnseen(event.id())) {
                    continue;
                }
                if (kind.ids.match(event.id(), hash.applyAsLong(event)) == IdHashTable.SAME) {
                    result.identical++;
                } else {
                    result.differing++;
                    if (result.firstDiffering.size() < FIRST_IDS) {
                        result.firstDiffering.add(event.id());
                    }
                }
                result.progress(1);
            }
        }
    }

    /** The counts of one check as it goes. */
    private static final class Result {
        final MigrationListener listener;
        final List<UUID> firstDiffering = new ArrayList<>();
        final List<UUID> firstMissing = new ArrayList<>();
        long identical;
        long differing;
        long missing;
        long done;

        Result(MigrationListener listener) {
            this.listener = listener;
        }

        void progress(long more) {
            long before = done;
            done += more;
            if (done / 10_000 != before / 10_000) {
                listener.progress(done);
            }
        }
    }

    /** The events of one kind that were sent. */
    private static final class Sent {
        final IdHashTable ids = new IdHashTable();
        /** Per bucket of event time: the count and the sum of the hashes of the events sent (new ids only). */
        final Map<Long, long[]> buckets = new HashMap<>();
        long minMillis = Long.MAX_VALUE;
        long maxMillis = Long.MIN_VALUE;
        private long lastBucket = Long.MIN_VALUE;
        private long[] last;

        void sum(long bucket, long hash) {
            if (bucket != lastBucket) {
                last = buckets.computeIfAbsent(bucket, b -> new long[2]);
                lastBucket = bucket;
            }
            last[0]++;
            last[1] += hash;
        }
    }
}
