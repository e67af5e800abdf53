package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.GitEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the inserter's multi-row statements put in the database: rows read back exactly as
 * appended, and each value in the storage class the schema promises to the {@code sqlite3} shell
 * (NULL, {@code '{}'} for empty attributes, INTEGER, REAL, TEXT), whatever the other rows of the
 * same statement hold.
 */
class SqliteValueFidelityTest {
    @TempDir
    Path dir;

    @Test
    void optionalColumnsSetByOnlySomeRowsOfABatchAreKeptForThoseRowsAndNullOrEmptyForTheOthers() throws Exception {
        List<Event> events = new ArrayList<>();
        List<Integer> full = List.of(0, 5, 255, 256, 271, 290, 299);
        for (int i = 0; i < 300; i++) {
            GitEvent.Builder event = GitEvent.builder().ts(SampleEvents.T0.plusMillis(i)).eventType("commit")
                    .repo("repo");
            if (full.contains(i)) {
                event.sessionId("s-" + i).source("hook").attribute("n", i).branch("b-" + i).additions(i)
                        .deletions(-i).author("a'uthor " + i);
            }
            events.add(event.build());
        }
        Path file = dir.resolve("mixed.db");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            assertThat(store.append(events)).isEqualTo(300);

            assertThat(readAll(store)).containsExactlyElementsOf(SampleEvents.sorted(events));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT sum(attributes = '{}'), sum(session_id IS NULL),"
                        + " sum(typeof(additions) = 'integer'), sum(typeof(commits) = 'null') FROM git_events")) {
            rows.next();
            assertThat(List.of(rows.getInt(1), rows.getInt(2), rows.getInt(3), rows.getInt(4)))
                    .containsExactly(300 - full.size(), 300 - full.size(), full.size(), 300);
        }
    }

    @Test
    void extremeNumbersAndAnyTextKeepTheirExactValueAndStorageClass() throws Exception {
        long[] longs = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, 1L << 53, (1L << 53) + 1, Long.MAX_VALUE};
        double[] doubles = {Double.MIN_VALUE, Double.MIN_NORMAL, 0.1, 1.0 / 3, 2.0, 1e-300, 123456789.123456789,
            -Double.MAX_VALUE, Double.MAX_VALUE};
        List<Event> events = new ArrayList<>();
        Instant t = SampleEvents.T0;
        for (int i = 0; i < longs.length; i++) {
            String text = SampleEvents.NASTY_TEXT.get(i % SampleEvents.NASTY_TEXT.size());
            t = t.plusMillis(1);
            events.add(GitEvent.builder().ts(t).eventType("commit").repo(text).filesChanged(longs[i]).additions(longs[longs.length - 1 - i])
                    .build());
        }
        for (int i = 0; i < doubles.length; i++) {
            t = t.plusMillis(1);
            events.add(RoutingMetricEvent.builder().ts(t).predictedModel("opus").queryText(SampleEvents.NASTY_TEXT.get(i
                    % SampleEvents.NASTY_TEXT.size())).dqScore(doubles[i]).costSaved(-doubles[i])
                    .accuracy(i % 2 == 0).build());
        }
        Path file = dir.resolve("extremes.db");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            store.append(events);

            assertThat(readAll(store)).containsExactlyElementsOf(SampleEvents.sorted(events));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet git = statement.executeQuery("SELECT DISTINCT typeof(id) || typeof(ts) || typeof(repo)"
                        + " || typeof(files_changed) || typeof(additions) || typeof(deletions) FROM git_events")) {
            assertThat(git.next()).isTrue();
            assertThat(git.getString(1)).isEqualTo("textintegertextintegerintegernull");
            assertThat(git.next()).isFalse();
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet routing = statement.executeQuery("SELECT DISTINCT typeof(dq_score) || typeof(cost_saved)"
                        + " || typeof(accuracy) || typeof(complexity) FROM routing_metrics_events")) {
            assertThat(routing.next()).isTrue();
            assertThat(routing.getString(1)).isEqualTo("realrealintegernull");
            assertThat(routing.next()).isFalse();
        }
    }

    private static List<Event> readAll(SqliteEventStore store) {
        try (Stream<Event> read = store.read(EventQuery.all())) {
            return SampleEvents.sorted(read.collect(Collectors.toList()));
        }
    }
}
