package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.DualWriter;
import dev.eventlog.StoreNotFoundException;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.analytics.NativeAnalytics;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.SchemaManaged;
import dev.eventlog.spi.StoreOptions;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link DualWriter} over a SQLite primary answers the schema tools with the primary's schema
 * and the analytics with the side reads come from, and offers no appends with checkpoints; a SQLite
 * store opened to read must exist.
 */
class DualWriterCapabilityTest {
    @TempDir
    Path dir;

    @Test
    void theSchemaIsThePrimarysAndTheAnalyticsTheReadSides() {
        SqliteEventStore sqlite = SqliteEventStore.open(dir.resolve("events.db"));
        JsonlEventStore jsonl = JsonlEventStore.open(dir.resolve("backup"));
        try (DualWriter dual = DualWriter.of(sqlite, jsonl)) {
            dual.append(SampleEvents.everyKind());
            jsonl.append(SampleEvents.activities(3, SampleEvents.T0.plusSeconds(90)));

            assertThat(dual.capability(SchemaManaged.class).map(EventStore.class::cast)).containsSame(sqlite);
            assertThat(dual.capability(SchemaManaged.class).orElseThrow().pendingChangeSets()).isEmpty();
            assertThat(dual.capability(NativeAnalytics.class).map(EventStore.class::cast)).containsSame(sqlite);
            // An append with checkpoints through the primary alone would miss the backup: not offered.
            assertThat(sqlite.capability(CheckpointedAppends.class)).containsSame(sqlite);
            assertThat(dual.capability(CheckpointedAppends.class)).isEmpty();
            Analytics primary = EventAnalytics.of(dual).compute(null, null);

            dual.readFrom(DualWriter.Side.BACKUP);

            assertThat(dual.capability(SchemaManaged.class).map(EventStore.class::cast)).containsSame(sqlite);
            assertThat(dual.capability(NativeAnalytics.class)).isEmpty();
            Analytics backup = EventAnalytics.of(dual).compute(null, null);
            System.out.println("analytics total: primary " + primary.total() + ", backup " + backup.total());
            assertThat(primary.total()).isEqualTo(SampleEvents.everyKind().size());
            assertThat(backup.total()).isEqualTo(SampleEvents.everyKind().size() + 3);
        }
    }

    @Test
    void aFileOpenedToReadMustExistAndIsNotCreated() {
        Path missing = dir.resolve("sub").resolve("typo.db");

        Assertions.assertThatThrownBy(() -> EventStores.open("sqlite:" + missing, StoreOptions.READ))
                .isInstanceOf(StoreNotFoundException.class)
                .hasMessage("store URL was 'sqlite:" + missing + "' but it must be an existing database file");
        Assertions.assertThatThrownBy(() -> EventStores.open("jdbc:sqlite:" + missing, StoreOptions.SCHEMA_READ))
                .isInstanceOf(StoreNotFoundException.class);

        assertThat(dir.resolve("sub")).doesNotExist();
        try (EventStore created = EventStores.open("sqlite:" + missing, StoreOptions.DEFAULT)) {
            assertThat(created.describe()).contains("typo.db");
            assertThat(missing).isRegularFile();
        }
    }
}
