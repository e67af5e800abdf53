package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.StoreException;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.spi.AnalyticsFixtures;
import dev.eventlog.spi.SampleEvents;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAnalyticsTest {
    @TempDir
    Path dir;

    @Test
    void answersFromTheChangelogViewsAndTheirRollbackTakesTheAnswersAway() {
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("events.db"))) {
            store.append(AnalyticsFixtures.gits(SampleEvents.T0));
            assertThat(EventAnalytics.of(store).compute().git().commitsByRepo()).containsEntry("a", 2L);

            store.rollbackSchema(1);

            assertThatThrownBy(() -> EventAnalytics.of(store).compute())
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("could not compute analytics")
                    .hasMessageContaining("analytics_");
            assertThat(EventAnalytics.streaming(store).compute().git().commits()).isEqualTo(3);
            store.updateSchema();
            assertThat(EventAnalytics.of(store).compute().git().commits()).isEqualTo(3);
        }
    }
}
