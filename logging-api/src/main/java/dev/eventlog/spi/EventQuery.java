package dev.eventlog.spi;

import dev.eventlog.EventKind;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which events to read or count: a set of kinds and a half-open time range
 * {@code [from, until)}. A {@code null} bound is open. Immutable.
 *
 * @param kinds the kinds to include; never empty
 * @param from the earliest time included, or {@code null}
 * @param until the first time excluded, or {@code null}
 */
public record EventQuery(Set<EventKind> kinds, Instant from, Instant until) {

    /** Copies the kinds; an empty or {@code null} set means every kind. */
    public EventQuery {
        kinds = kinds == null || kinds.isEmpty() ? Set.copyOf(EnumSet.allOf(EventKind.class)) : Set.copyOf(kinds);
    }

    /** Every event of every kind. */
    public static EventQuery all() {
        return new EventQuery(null, null, null);
    }

    /** Every event of one kind. */
    public static EventQuery of(EventKind kind) {
        return new EventQuery(Set.of(kind), null, null);
    }

    /** This query limited to {@code [from, until)}. */
    public EventQuery between(Instant newFrom, Instant newUntil) {
        return new EventQuery(kinds, newFrom, newUntil);
    }

    /** Whether {@code ts} is inside the time range. */
    public boolean contains(Instant ts) {
        return (from == null || !ts.isBefore(from)) && (until == null || ts.isBefore(until));
    }

    /** The kinds in catalogue order. */
    public EnumSet<EventKind> orderedKinds() {
        return EnumSet.copyOf(kinds);
    }
}
