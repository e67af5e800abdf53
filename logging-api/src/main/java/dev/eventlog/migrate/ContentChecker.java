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
 * over the time range of those events and builds the {@link ContentCheck}. Memory: about 50
 * bytes per event sent. Not thread-safe.
 */
final class ContentChecker {
    static final int FIRST_IDS = 10;

    private final Map<EventKind, Sent> sent = new EnumMap<>(EventKind.class);

    /** Notes that {@code event}, whose fingerprint is {@code fingerprint}, was sent. */
    void add(Event event, byte[] fingerprint) {
        Sent kind = sent.computeIfAbsent(event.kind(), k -> new Sent());
        kind.ids.put(event.id(), ContentDigest.shortForm(fingerprint));
        long millis = event.ts().toEpochMilli();
        kind.minMillis = Math.min(kind.minMillis, millis);
        kind.maxMillis = Math.max(kind.maxMillis, millis);
    }

    /** Reads every kind sent back from {@code target} and compares. */
    ContentCheck check(EventStore target, MigrationListener listener) {
        long checked = 0;
        for (Sent kind : sent.values()) {
            checked += kind.ids.size();
        }
        listener.phase("checking", checked);
        long identical = 0;
        long differing = 0;
        long missing = 0;
        long done = 0;
        List<UUID> firstDiffering = new ArrayList<>();
        List<UUID> firstMissing = new ArrayList<>();
        EventFingerprints fingerprints = new EventFingerprints();
        for (Map.Entry<EventKind, Sent> entry : sent.entrySet()) {
            Sent kind = entry.getValue();
            EventQuery query = new EventQuery(Set.of(entry.getKey()), Instant.ofEpochMilli(kind.minMillis),
                    Instant.ofEpochMilli(kind.maxMillis + 1));
            try (Stream<Event> events = target.read(query)) {
                for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
                    Event event = it.next();
                    if (!kind.ids.isUnseen(event.id())) {
                        continue;
                    }
                    int match = kind.ids.match(event.id(), ContentDigest.shortForm(fingerprints.of(event)));
                    if (match == IdHashTable.SAME) {
                        identical++;
                    } else {
                        differing++;
                        if (firstDiffering.size() < FIRST_IDS) {
                            firstDiffering.add(event.id());
                        }
                    }
                    if (++done % 10_000 == 0) {
                        listener.progress(done);
                    }
                }
            }
            missing += kind.ids.unseen();
            kind.ids.forEachUnseen(id -> {
                if (firstMissing.size() < FIRST_IDS) {
                    firstMissing.add(id);
                }
            });
        }
        listener.progress(checked);
        return new ContentCheck(true, checked, identical, differing, missing, firstDiffering, firstMissing);
    }

    /** The events of one kind that were sent. */
    private static final class Sent {
        final IdHashTable ids = new IdHashTable();
        long minMillis = Long.MAX_VALUE;
        long maxMillis = Long.MIN_VALUE;
    }
}
