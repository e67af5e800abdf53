package dev.eventlog.postgres;

import dev.eventlog.testkit.TestDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.StoreException;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.testkit.AnalyticsFixtures;
import dev.eventlog.testkit.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresAnalyticsTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void answersFromTheViewsOfItsOwnSchemaAndTheirRollbackTakesTheAnswersAway() {
        try (PostgresEventStore store = PostgresEventStore.open(db.url(db.newSchemaName()));
                PostgresEventStore other = PostgresEventStore.open(db.url(db.newSchemaName()))) {
            store.append(AnalyticsFixtures.gits(SampleEvents.T0));
            assertThat(EventAnalytics.of(store).compute().git().commitsByRepo()).containsEntry("a", 2L);
            assertThat(EventAnalytics.of(other).compute().git().commits()).isZero();

            store.rollbackSchema(1 + 1 + 1 + 1 + 3 + 2); // the analytics day summaries, the session summary, the follow checkpoints, the routing matrix, the three session change sets, then the analytics views and their index

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
