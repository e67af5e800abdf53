package dev.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.analytics.NativeAnalytics;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.SchemaManaged;
import dev.eventlog.testkit.EventStoreContractTest;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DualWriter} keeps every promise of the store contract, over a JSONL primary and a JSONL
 * backup; after every test the backup holds every event the primary holds.
 */
class DualWriterContractTest extends EventStoreContractTest {

    @Override
    protected EventStore openStore(Path dir) {
        return DualWriter.of(JsonlEventStore.open(dir.resolve("primary")), JsonlEventStore.open(dir.resolve("backup")));
    }

    @Override
    protected boolean readsInTimeOrder() {
        return false;
    }

    private static Set<UUID> ids(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Set.of();
        }
        try (JsonlEventStore jsonl = JsonlEventStore.open(directory);
                Stream<Event> events = jsonl.read(EventQuery.all())) {
            return events.map(Event::id).collect(Collectors.toSet());
        }
    }

    @AfterEach
    void theBackupHoldsEveryEventThePrimaryHolds() {
        Set<UUID> primary = ids(dir.resolve("primary"));
        Set<UUID> backup = ids(dir.resolve("backup"));
        System.out.printf("primary %d events, backup %d events%n", primary.size(), backup.size());
        assertThat(backup).containsAll(primary);
    }

    @Test
    void theBackupGetsEveryEventOfEveryKind() {
        List<Event> events = SampleEvents.everyKind();

        store.append(events);

        assertThat(ids(dir.resolve("backup"))).hasSize(events.size())
                .containsExactlyInAnyOrderElementsOf(events.stream().map(Event::id).toList());
    }

    @Test
    void abilitiesAreForwardedToTheSideThatHasThem() {
        DualWriter dual = (DualWriter) store;

        assertThat(dual.capability(DualWriter.class)).containsSame(dual);
        assertThat(dual.capability(JsonlEventStore.class).map(EventStore.class::cast)).containsSame(dual.primary());
        assertThat(dual.capability(NativeAnalytics.class)).isEmpty();
        assertThat(dual.capability(SchemaManaged.class)).isEmpty();
        dual.readFrom(DualWriter.Side.BACKUP);
        assertThat(dual.capability(JsonlEventStore.class).map(EventStore.class::cast)).containsSame(dual.backup());
    }
}
