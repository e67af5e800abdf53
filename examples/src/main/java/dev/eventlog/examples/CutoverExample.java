package dev.eventlog.examples;

import dev.eventlog.DualWriter;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogger;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cutover from JSONL files to SQLite: dual-write with the JSONL files as the source of truth,
 * check that both sides hold the same events, then switch reads to the database while the JSONL
 * files keep being written (so going back loses nothing).
 *
 * <p>Run: {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.eventlog.examples.CutoverExample}.
 */
public final class CutoverExample {
    private CutoverExample() {
    }

    /** Runs the cutover in {@code args[0]}, or in the current directory. */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        DualWriter store = DualWriter.of(
                SqliteEventStore.open(dir.resolve("cutover.db")),
                JsonlEventStore.open(dir.resolve("cutover-jsonl")),
                DualWriter.Side.BACKUP,
                (error, events) -> System.err.println("backup failed for " + events.size() + " event(s): " + error));

        try (EventLogger log = EventLogger.builder().store(store).build()) {
            // 1. Dual-write: the JSONL files stay the source of truth.
            for (int i = 0; i < 5; i++) {
                log.logToolUse("Read", true, 10 + i);
            }
            System.out.println("reads from " + store.readSide() + ": " + counts(store));

            // 2. Validate: both sides must hold the same ids.
            Set<UUID> inDatabase = ids(store.primary());
            Set<UUID> inFiles = ids(store.backup());
            if (!inDatabase.equals(inFiles)) {
                throw new IllegalStateException("the sides differ: database " + inDatabase.size()
                        + " events, files " + inFiles.size());
            }
            System.out.println("both sides hold the same " + inDatabase.size() + " events");

            // 3. Cutover: the database becomes the source of truth; JSONL is still written.
            store.readFrom(DualWriter.Side.PRIMARY);
            log.logToolUse("Write", true, 25);
            System.out.println("reads from " + store.readSide() + ": " + counts(store)
                    + "; backup failures: " + store.backupFailures());
        }
    }

    private static Map<EventKind, Long> counts(DualWriter store) {
        return store.count(EventQuery.of(EventKind.TOOL_USE));
    }

    private static Set<UUID> ids(dev.eventlog.spi.EventStore side) {
        try (Stream<Event> events = side.read(EventQuery.all())) {
            return events.map(Event::id).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
