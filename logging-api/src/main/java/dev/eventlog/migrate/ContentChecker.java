package dev.eventlog.migrate;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Remembers the fingerprint of every event a run sends to a target, then reads the target back
 * over the time range of those events and builds the {@link ContentCheck}. Memory is bounded: up
 * to {@link #DEFAULT_SPILL_AT} ids of a kind are kept in a table (about 50 bytes each); past that,
 * each full table is written to a temporary file as a run sorted by id (24 bytes per id on disk),
 * the read-back is spilled the same way, and the two sorted sequences are merged. {@link #close()}
 * deletes the files. Not thread-safe.
 */
final class ContentChecker implements AutoCloseable {
    static final int FIRST_IDS = 10;
    /** Ids of one kind held in memory before they are spilled: about 13 MB of table. */
    static final int DEFAULT_SPILL_AT = 1 << 18;

    private final Map<EventKind, Sent> sent = new EnumMap<>(EventKind.class);
    private final int spillAt;

    ContentChecker() {
        this(DEFAULT_SPILL_AT);
    }

    /** A checker that spills a kind's ids to disk every {@code spillAt} ids (small in tests). */
    ContentChecker(int spillAt) {
        this.spillAt = spillAt;
    }

    /** Notes that {@code event}, whose fingerprint is {@code fingerprint}, was sent. */
    void add(Event event, byte[] fingerprint) {
        Sent kind = sent.computeIfAbsent(event.kind(), k -> new Sent());
        kind.ids.put(event.id(), ContentDigest.shortForm(fingerprint));
        if (kind.ids.size() >= spillAt) {
            kind.runs.spill(kind.ids);
        }
        long millis = event.ts().toEpochMilli();
        kind.minMillis = Math.min(kind.minMillis, millis);
        kind.maxMillis = Math.max(kind.maxMillis, millis);
    }

    /** Reads every kind sent back from {@code target} and compares. */
    ContentCheck check(EventStore target, MigrationListener listener) {
        Tally tally = new Tally();
        for (Sent kind : sent.values()) {
            if (kind.runs.any()) {
                kind.runs.spill(kind.ids);
            }
            kind.count = kind.runs.any() ? countDistinct(kind.runs) : kind.ids.size();
            tally.checked += kind.count;
        }
        listener.phase("checking", tally.checked);
        EventFingerprints fingerprints = new EventFingerprints();
        for (Map.Entry<EventKind, Sent> entry : sent.entrySet()) {
            Sent kind = entry.getValue();
            EventQuery query = new EventQuery(Set.of(entry.getKey()), Instant.ofEpochMilli(kind.minMillis),
                    Instant.ofEpochMilli(kind.maxMillis + 1));
            if (kind.runs.any()) {
                checkSpilled(target, query, kind, fingerprints, tally, listener);
            } else {
                checkInMemory(target, query, kind, fingerprints, tally, listener);
            }
        }
        listener.progress(tally.checked);
        return new ContentCheck(true, tally.checked, tally.identical, tally.differing, tally.missing,
                tally.firstDiffering, tally.firstMissing);
    }

    /** Deletes the spilled runs' files, if any. */
    @Override
    public void close() {
        for (Sent kind : sent.values()) {
            kind.runs.close();
            kind.read.close();
        }
    }

    private void checkInMemory(EventStore target, EventQuery query, Sent kind, EventFingerprints fingerprints,
            Tally tally, MigrationListener listener) {
        try (Stream<Event> events = target.read(query)) {
            for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
                Event event = it.next();
                if (!kind.ids.isUnseen(event.id())) {
                    continue;
                }
                int match = kind.ids.match(event.id(), ContentDigest.shortForm(fingerprints.of(event)));
                tally.compared(match == IdHashTable.SAME, event.id(), listener);
            }
        }
        tally.missing += kind.ids.unseen();
        kind.ids.forEachUnseen(tally::noteMissing);
    }

    /**
     * The sent ids are in sorted runs: the events read back are spilled to sorted runs too, and
     * the two merged sequences are walked side by side.
     */
    private void checkSpilled(EventStore target, EventQuery query, Sent kind, EventFingerprints fingerprints,
            Tally tally, MigrationListener listener) {
        // The sent ids are all in runs now: their emptied table buffers the events read back.
        IdHashTable buffer = kind.ids;
        long base = tally.done;
        long read = 0;
        try (Stream<Event> events = target.read(query)) {
            for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
                Event event = it.next();
                buffer.put(event.id(), ContentDigest.shortForm(fingerprints.of(event)));
                if (buffer.size() >= spillAt) {
                    kind.read.spill(buffer);
                }
                if (++read % 10_000 == 0) {
                    listener.progress(base + Math.min(read, kind.count));
                }
            }
        }
        kind.read.spill(buffer);
        try (IdRuns.Merged sentIds = kind.runs.merged(); IdRuns.Merged readIds = kind.read.merged()) {
            boolean more = readIds.next();
            while (sentIds.next()) {
                while (more && IdHashTable.compare(readIds.hi, readIds.lo, sentIds.hi, sentIds.lo) < 0) {
                    more = readIds.next();
                }
                UUID id = new UUID(sentIds.hi, sentIds.lo);
                if (more && readIds.hi == sentIds.hi && readIds.lo == sentIds.lo) {
                    tally.compared(readIds.hash == sentIds.hash, id, MigrationListener.NONE);
                } else {
                    tally.missing++;
                    tally.noteMissing(id);
                }
            }
        }
    }

    private static long countDistinct(IdRuns runs) {
        long count = 0;
        try (IdRuns.Merged ids = runs.merged()) {
            while (ids.next()) {
                count++;
            }
        }
        return count;
    }

    /** The events of one kind that were sent. */
    private static final class Sent {
        final IdHashTable ids = new IdHashTable();
        final IdRuns runs = new IdRuns();
        final IdRuns read = new IdRuns();
        long count;
        long minMillis = Long.MAX_VALUE;
        long maxMillis = Long.MIN_VALUE;
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
            if (++done % 10_000 == 0) {
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
