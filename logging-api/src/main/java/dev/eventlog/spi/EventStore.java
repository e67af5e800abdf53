package dev.eventlog.spi;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where events are kept: a SQLite file, a PostgreSQL database, a directory of JSONL files, or a
 * composite of them such as {@link dev.eventlog.DualWriter}.
 *
 * <p>Every implementation is thread-safe: any number of threads may append and read at once.
 * Every promise below is checked by {@code EventStoreContractTest}, which each store's tests
 * extend.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Appends a batch of events, all or none: when this throws, no event of the batch is stored
     * (a JSONL store may hold a torn last line, which its readers skip and report). Idempotent on
     * the id: an event whose id is already stored is skipped, so re-appending a batch adds nothing.
     *
     * @return how many events were new
     * @throws StoreException when the store cannot be written
     */
    int append(List<? extends Event> batch);

    /**
     * Streams the events that match {@code query}, ordered by kind (catalogue order), then time,
     * then id, without loading them all into memory. The stream holds resources until closed: use
     * it in try-with-resources.
     *
     * @throws StoreException when the store cannot be read
     */
    Stream<Event> read(EventQuery query);

    /**
     * Counts the events that match {@code query}, per kind; every kind of the query has an entry.
     *
     * @throws StoreException when the store cannot be read
     */
    default Map<EventKind, Long> count(EventQuery query) {
        Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
        for (EventKind kind : query.orderedKinds()) {
            try (Stream<Event> events = read(new EventQuery(java.util.Set.of(kind), query.from(), query.until()))) {
                counts.put(kind, events.count());
            }
        }
        return counts;
    }

    /**
     * An optional ability of this store, such as {@link SchemaManaged} or
     * {@code dev.eventlog.analytics.NativeAnalytics}: tools ask for it here instead of casting
     * the store, so that a decorator (such as {@link dev.eventlog.DualWriter}) can answer with the
     * ability of the store it wraps. The default answers with this store when it is an instance
     * of {@code type}; a decorator overrides it to forward.
     *
     * @param type the ability asked for
     * @param <T> its type
     * @return the ability, or empty when this store does not have it
     */
    default <T> Optional<T> capability(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** A description of the store for messages, with any password removed. */
    String describe();

    /** Releases the store's connections and files; appending afterwards throws. */
    @Override
    void close();
}
