package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.StoreException;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.testkit.AnalyticsFixtures;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.jdbc.SqlAnalytics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAnalyticsTest {
    @TempDir
    Path dir;

    @Test
    void everyQuestionReadsIndexesOnlyNeverATable() throws Exception {
        Path db = dir.resolve("events.db");
        SqliteEventStore.open(db).close();
        Instant from = SampleEvents.T0;

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement()) {
            for (SqlAnalytics.Question question : SqlAnalytics.Question.values()) {
                for (String sql : List.of(question.sql(null, null), question.sql(from, null).replace("?",
                        String.valueOf(from.toEpochMilli())))) {
                    List<String> scans = new ArrayList<>();
                    try (ResultSet plan = statement.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
                        while (plan.next()) {
                            String detail = plan.getString("detail");
                            if (detail.startsWith("SCAN ") || detail.startsWith("SEARCH ")) {
                                scans.add(detail);
                            }
                        }
                    }
                    assertThat(scans.stream().filter(d -> d.contains("_events")).toList()).as(sql)
                            .isNotEmpty().allMatch(d -> d.contains("COVERING INDEX"));
                }
            }
        }
    }

    @Test
    void answersFromTheChangelogViewsAndTheirRollbackTakesTheAnswersAway() {
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("events.db"))) {
            store.append(AnalyticsFixtures.gits(SampleEvents.T0));
            assertThat(EventAnalytics.of(store).compute().git().commitsByRepo()).containsEntry("a", 2L);

            store.rollbackSchema(1 + 1 + 1 + 1 + 2 + 2); // the analytics day summaries, the session summary, the follow checkpoints, the routing matrix, the two session change sets, then the analytics views and their indexes

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
