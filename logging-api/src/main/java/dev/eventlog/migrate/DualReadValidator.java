package dev.eventlog.migrate;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Dual-read validation (README, "Migrating from JSONL", step 3): reads the same events from two stores and
 * reports every difference. Per kind it compares counts and an order-independent digest of
 * every field of every event (the sum of per-event SHA-256 over a canonical encoding), so two
 * stores that return events in different orders, or keep attribute keys in different orders,
 * still compare equal when they hold the same data.
 *
 * <p>When a kind's digests agree, each side was streamed once in bounded memory. When they
 * disagree, the source side is read again into a table of ids (about 50 bytes per event of that
 * kind) to name the differing ids. Thread-safe: holds no state.
 */
public final class DualReadValidator {
    private DualReadValidator() {
    }

    /** Compares every event of every kind. */
    public static VerifyReport compare(EventStore source, EventStore target) {
        return compare(source, target, EventQuery.all(), MigrationListener.NONE);
    }

    /**
     * Compares the events of {@code query} in both stores.
     *
     * @param listener hears progress in events read
     * @throws StoreException when either store cannot be read
     */
    public static VerifyReport compare(EventStore source, EventStore target, EventQuery query,
            MigrationListener listener) {
        listener.phase("verifying", -1);
        long[] done = {0};
        List<VerifyReport.KindComparison> kinds = new ArrayList<>();
        EventFingerprints fingerprints = new EventFingerprints();
        for (EventKind kind : query.orderedKinds()) {
            EventQuery one = new EventQuery(Set.of(kind), query.from(), query.until());
            ContentDigest sourceDigest = new ContentDigest();
            ContentDigest targetDigest = new ContentDigest();
            forEach(source, one, e -> {
                sourceDigest.add(fingerprints.of(e));
                tick(done, listener);
            });
            forEach(target, one, e -> {
                targetDigest.add(fingerprints.of(e));
                tick(done, listener);
            });
            if (sourceDigest.count() == targetDigest.count() && sourceDigest.hex().equals(targetDigest.hex())) {
                kinds.add(new VerifyReport.KindComparison(kind, sourceDigest.count(), targetDigest.count(),
                        sourceDigest.hex(), targetDigest.hex(), 0, 0, 0, List.of(), List.of(), List.of()));
            } else {
                kinds.add(differences(source, target, one, sourceDigest, targetDigest, fingerprints));
            }
        }
        return new VerifyReport(source.describe(), target.describe(), kinds);
    }

    private static VerifyReport.KindComparison differences(EventStore source, EventStore target, EventQuery one,
            ContentDigest sourceDigest, ContentDigest targetDigest, EventFingerprints fingerprints) {
        IdHashTable sourceIds = new IdHashTable();
        forEach(source, one, e -> sourceIds.put(e.id(), ContentDigest.shortForm(fingerprints.of(e))));
        long[] counts = new long[2];
        List<UUID> onlyInTarget = new ArrayList<>();
        List<UUID> differing = new ArrayList<>();
        forEach(target, one, e -> {
            int match = sourceIds.match(e.id(), ContentDigest.shortForm(fingerprints.of(e)));
            if (match == IdHashTable.ABSENT) {
                counts[0]++;
                addFirst(onlyInTarget, e.id());
            } else if (match == IdHashTable.DIFFERENT) {
                counts[1]++;
                addFirst(differing, e.id());
            }
        });
        List<UUID> onlyInSource = new ArrayList<>();
        if (sourceIds.unseen() > 0) {
            forEach(source, one, e -> {
                if (onlyInSource.size() < ContentChecker.FIRST_IDS && sourceIds.isUnseen(e.id())
                        && !onlyInSource.contains(e.id())) {
                    onlyInSource.add(e.id());
                }
            });
        }
        EventKind kind = one.orderedKinds().iterator().next();
        return new VerifyReport.KindComparison(kind, sourceDigest.count(), targetDigest.count(), sourceDigest.hex(),
                targetDigest.hex(), sourceIds.unseen(), counts[0], counts[1], onlyInSource, onlyInTarget, differing);
    }

    private static void addFirst(List<UUID> ids, UUID id) {
        if (ids.size() < ContentChecker.FIRST_IDS) {
            ids.add(id);
        }
    }

    private static void tick(long[] done, MigrationListener listener) {
        if (++done[0] % 10_000 == 0) {
            listener.progress(done[0]);
        }
    }

    private static void forEach(EventStore store, EventQuery query, Consumer<Event> action) {
        try (Stream<Event> events = store.read(query)) {
            for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
                action.accept(it.next());
            }
        }
    }
}
