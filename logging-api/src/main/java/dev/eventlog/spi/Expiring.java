package dev.eventlog.spi;

import dev.eventlog.EventKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A store that can remove old events: the ability {@code dev.eventlog.migrate.Retention} uses
 * (README, "Retention: archive, then drop"), found through {@link EventStore#capability(Class)}.
 * Every store of this library has it: SQLite and PostgreSQL delete in committed batches (a
 * partitioned PostgreSQL store drops whole partitions), a JSONL store rewrites the kind's file
 * atomically. A removal never takes an event that {@link Archived} does not hold, so an event
 * appended late with an old time stays until a later run archives it. A removal that is stopped
 * part way leaves whole batches removed; running it again removes the rest. Thread-safe.
 */
public interface Expiring {

    /**
     * Removes the events of {@code kind} whose time is before {@code cut} and whose id
     * {@code archived} holds; every event before {@code cut} when {@code archived} is {@code null}.
     *
     * @param archived the events that were archived and checked, or {@code null} to remove without
     *     an archive
     * @return how many events were removed and what was done
     * @throws dev.eventlog.StoreException when the store cannot be changed
     */
    Removal removeBefore(EventKind kind, Instant cut, Archived archived);

    /** The events a retention run archived and checked, the only ones a removal may take. */
    interface Archived {

        /** Whether the event {@code id} is in the archive. */
        boolean contains(UUID id);

        /** How many archived events have a time in {@code [from, until)}. */
        long count(Instant from, Instant until);
    }

    /**
     * What a removal did. Immutable.
     *
     * @param rows how many events were removed
     * @param changes one line per change, e.g. a partition dropped with its rows
     */
    record Removal(long rows, List<String> changes) {

        /** Copies the list. */
        public Removal {
            changes = List.copyOf(changes);
        }
    }
}
