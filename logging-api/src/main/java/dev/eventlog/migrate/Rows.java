package dev.eventlog.migrate;

import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rows per table of a store, for the reports. */
final class Rows {
    private Rows() {
    }

    /** Every table of the catalogue, in catalogue order, with the number of events the store holds in it. */
    static Map<String, Long> perTable(EventStore store) {
        Map<EventKind, Long> counts = store.count(EventQuery.all());
        Map<String, Long> rows = new LinkedHashMap<>();
        for (EventKind kind : EventKind.values()) {
            rows.put(kind.table(), counts.getOrDefault(kind, 0L));
        }
        return rows;
    }
}
