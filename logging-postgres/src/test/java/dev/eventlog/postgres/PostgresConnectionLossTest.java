package dev.eventlog.postgres;

import dev.eventlog.ActivityEvent;
import dev.eventlog.testkit.TestDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogException;
import dev.eventlog.EventLogger;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connections killed on the server with {@code pg_terminate_backend}, as a restart or a DBA would. */
class PostgresConnectionLossTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private final String application = "eventlog-test-" + UUID.randomUUID();

    @Test
    void aConnectionLostMidStreamSurfacesToTheReaderAsAStoreException() throws Exception {
        try (PostgresEventStore store = open()) {
            store.append(SampleEvents.activities(5_000, SampleEvents.T0));

            try (Stream<Event> stream = store.read(EventQuery.of(EventKind.ACTIVITY))) {
                Iterator<Event> events = stream.iterator();
                for (int i = 0; i < 10; i++) {
                    events.next();
                }
                assertThat(terminate("state = 'idle in transaction'")).isEqualTo(1);

                assertThatThrownBy(() -> events.forEachRemaining(event -> { }))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining(store.describe())
                        .hasMessageContaining("activity_events");
            }

            assertThat(store.count(EventQuery.of(EventKind.ACTIVITY))).containsEntry(EventKind.ACTIVITY, 5_000L);
        }
    }

    @Test
    void aConnectionLostDuringAnAppendGoesToTheErrorHandlerNotTheCaller() throws Exception {
        List<EventLogException> handled = new CopyOnWriteArrayList<>();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (EventLogger logger = EventLogger.builder().store(open())
                .errorHandler((error, events) -> handled.add(error)).build();
                Connection blocker = db.admin()) {
            String schema = ((PostgresEventStore) logger.store()).schema();
            // Holds the table so that the append waits on the server, where it is then cut off.
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("LOCK TABLE " + schema + ".activity_events IN ACCESS EXCLUSIVE MODE");
            }
            Future<?> append = caller.submit(() -> logger.logActivity(ActivityEvent.builder()
                    .activityType("cut-off").description("mid-append").build()));
            awaitBackend("wait_event_type = 'Lock'");

            assertThat(terminate("wait_event_type = 'Lock'")).isEqualTo(1);
            blocker.rollback();
            append.get();

            assertThat(handled).singleElement().isInstanceOf(StoreException.class)
                    .satisfies(error -> assertThat(error.getMessage()).contains(logger.store().describe()));
            assertThat(logger.metrics().failedBatches()).isEqualTo(1);
            logger.logActivity(ActivityEvent.builder().activityType("after")
                    .description("the pool replaced the connection").build());
            assertThat(logger.store().count(EventQuery.of(EventKind.ACTIVITY))).containsEntry(EventKind.ACTIVITY, 1L);
        } finally {
            caller.shutdownNow();
        }
    }

    private PostgresEventStore open() {
        return PostgresEventStore.open(db.url(db.newSchemaName()),
                PostgresOptions.builder().applicationName(application).maximumPoolSize(2).minimumIdle(0).build());
    }

    /** Terminates this test's backends matching {@code condition}; returns how many. */
    private int terminate(String condition) throws SQLException {
        try (Connection admin = db.admin(); PreparedStatement statement = admin.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ? AND "
                        + condition)) {
            statement.setString(1, application);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Waits until one of this test's backends matches {@code condition}. */
    private void awaitBackend(String condition) throws SQLException, InterruptedException {
        try (Connection admin = db.admin(); PreparedStatement statement = admin.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND " + condition)) {
            statement.setString(1, application);
            for (int attempt = 0; attempt < 3_000; attempt++) {
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("no backend of " + application + " reached " + condition + " within 30 s");
    }
}
