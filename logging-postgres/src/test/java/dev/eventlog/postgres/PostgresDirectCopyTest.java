package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.ActivityEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Large batches whose id range holds no stored row are {@code COPY}ed straight into the table;
 * the append must stay idempotent on the id whatever the batch meets: stored rows in its range,
 * ids repeated inside it, another transaction writing the same ids at the same time.
 */
class PostgresDirectCopyTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final int LARGE = RowWriter.COPY_FROM_ROWS * 2;

    private PostgresEventStore store;
    private String schema;

    @BeforeEach
    void openStore() {
        schema = db.newSchemaName();
        store = PostgresEventStore.open(db.url(schema));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aBatchOverlappingStoredRowsAddsOnlyTheNewOnes() {
        List<Event> all = SampleEvents.activities(3 * LARGE, SampleEvents.T0);
        // Every other event of the middle third is stored first: the next batch's range holds them.
        List<Event> stored = new ArrayList<>();
        for (int i = LARGE; i < 2 * LARGE; i += 2) {
            stored.add(all.get(i));
        }
        assertThat(store.append(stored)).isEqualTo(stored.size());

        assertThat(store.append(all)).isEqualTo(all.size() - stored.size());
        assertThat(store.append(all)).isZero();

        assertThat(readAll()).containsExactlyElementsOf(SampleEvents.sorted(all));
    }

    @Test
    void batchesAfterEachOtherInTimeAreAllAdded() {
        List<Event> all = SampleEvents.activities(4 * LARGE, SampleEvents.T0);
        int added = 0;
        for (int start = 0; start < all.size(); start += LARGE) {
            added += store.append(all.subList(start, start + LARGE));
        }

        assertThat(added).isEqualTo(all.size());
        assertThat(readAll()).containsExactlyElementsOf(SampleEvents.sorted(all));
    }

    @Test
    void batchesOfTheSameMomentsWithOtherIdsAreCopiedStraightInAndOnesMeetingStoredIdsAreStaged() {
        db.execute("CREATE TABLE " + schema + ".inserts_seen (statement text)",
                "CREATE FUNCTION " + schema + ".note_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO " + schema + ".inserts_seen VALUES (split_part(current_query(), ' ', 1));"
                        + " RETURN NULL; END $$",
                "CREATE TRIGGER note_insert AFTER INSERT ON " + schema + ".activity_events"
                        + " FOR EACH STATEMENT EXECUTE FUNCTION " + schema + ".note_insert()");
        // Two writers' events of the same moments: their id ranges overlap, their ids do not.
        List<Event> all = SampleEvents.activities(2 * LARGE, SampleEvents.T0);
        List<Event> even = new ArrayList<>();
        List<Event> odd = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % 2 == 0 ? even : odd).add(all.get(i));
        }

        assertThat(store.append(even)).isEqualTo(even.size());
        assertThat(store.append(odd)).isEqualTo(odd.size());
        assertThat(insertsSeen()).containsExactly("COPY", "COPY");

        // A batch with one stored id among new ones is staged, and stores the new ones once.
        List<Event> later = SampleEvents.activities(LARGE, SampleEvents.T0.plusSeconds(10L * LARGE));
        List<Event> meeting = new ArrayList<>(later);
        meeting.add(even.get(0));
        assertThat(store.append(meeting)).isEqualTo(later.size());
        assertThat(insertsSeen()).containsExactly("COPY", "COPY", "INSERT");

        List<Event> stored = new ArrayList<>(all);
        stored.addAll(later);
        assertThat(readAll()).containsExactlyElementsOf(SampleEvents.sorted(stored));
    }

    private List<String> insertsSeen() {
        List<String> seen = new ArrayList<>();
        try (Connection connection = db.admin(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT statement FROM " + schema + ".inserts_seen")) {
            while (rows.next()) {
                seen.add(rows.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return seen;
    }

    @Test
    void aBatchRepeatingIdsInsideItselfStoresEachIdOnceAndKeepsTheFirst() {
        List<Event> distinct = SampleEvents.activities(LARGE, SampleEvents.T0);
        List<Event> batch = new ArrayList<>(distinct);
        List<Event> laterCopies = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i += 3) {
            Event first = distinct.get(i);
            // The same id, other content: the first of the batch is the one kept.
            laterCopies.add(ActivityEvent.builder().id(first.id()).ts(first.ts()).activityType("repeat").build());
        }
        batch.addAll(laterCopies);
        Collections.shuffle(batch.subList(distinct.size(), batch.size()), new Random(7));

        assertThat(store.append(batch)).isEqualTo(distinct.size());

        assertThat(readAll()).containsExactlyElementsOf(SampleEvents.sorted(distinct));
    }

    @Test
    void aWriterCommittingAnIdOfTheBatchWhileItIsCopiedIsNotDuplicatedNorAFailure() throws Exception {
        List<Event> batch = SampleEvents.activities(LARGE, SampleEvents.T0);
        Event contested = batch.get(LARGE / 2);
        try (Connection other = db.admin()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("INSERT INTO " + schema
                    + ".activity_events (id, ts, activity_type) VALUES (?, ?, 'theirs')")) {
                insert.setObject(1, contested.id());
                insert.setTimestamp(2, Timestamp.from(contested.ts()));
                insert.executeUpdate();
            }
            // The range is read before the other transaction commits, so the append tries the
            // direct COPY and waits on the uncommitted id.
            CompletableFuture<Integer> append = CompletableFuture.supplyAsync(() -> store.append(batch));
            awaitCopyWaitingOnALock();
            other.commit();

            assertThat(append.get(60, TimeUnit.SECONDS)).isEqualTo(batch.size() - 1);
        }
        List<Event> read = readAll();
        assertThat(read).hasSize(batch.size());
        assertThat(read).filteredOn(event -> event.id().equals(contested.id()))
                .singleElement().extracting(event -> ((ActivityEvent) event).activityType()).isEqualTo("theirs");
    }

    @Test
    void twoStoresAppendingOverlappingBatchesAtOnceStoreEachEventOnce() throws Exception {
        List<Event> all = SampleEvents.activities(6 * LARGE, SampleEvents.T0);
        try (PostgresEventStore second = PostgresEventStore.open(db.url(schema))) {
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                CyclicBarrier together = new CyclicBarrier(2);
                // One goes forwards, the other backwards, in overlapping windows: every batch of
                // one meets rows the other is writing or has written.
                Future<Integer> forwards = threads.submit(() -> {
                    int added = 0;
                    for (int start = 0; start + LARGE <= all.size(); start += LARGE / 2) {
                        together.await(30, TimeUnit.SECONDS);
                        added += store.append(all.subList(start, start + LARGE));
                    }
                    return added;
                });
                Future<Integer> backwards = threads.submit(() -> {
                    int added = 0;
                    for (int end = all.size(); end - LARGE >= 0; end -= LARGE / 2) {
                        together.await(30, TimeUnit.SECONDS);
                        added += second.append(all.subList(end - LARGE, end));
                    }
                    return added;
                });

                assertThat(forwards.get(120, TimeUnit.SECONDS) + backwards.get(120, TimeUnit.SECONDS))
                        .isEqualTo(all.size());
            } finally {
                threads.shutdownNow();
            }
        }
        assertThat(readAll()).containsExactlyElementsOf(SampleEvents.sorted(all));
    }

    @Test
    void aTableUnderRowLevelSecurityForTheRoleTakesLargeBatchesThroughInsert() {
        String role = db.newRole();
        db.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role,
                "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
                "ALTER TABLE " + schema + ".activity_events ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY only_steps ON " + schema + ".activity_events USING (true)"
                        + " WITH CHECK (activity_type = 'step')");
        List<Event> first = SampleEvents.activities(LARGE, SampleEvents.T0);
        List<Event> second = SampleEvents.activities(LARGE, SampleEvents.T0.plusSeconds(LARGE));
        List<Event> refused = List.of(ActivityEvent.builder().ts(SampleEvents.T0.minusSeconds(1))
                .activityType("not a step").build());

        try (PostgresEventStore limited = PostgresEventStore.open(db.urlAs(schema, role, null),
                PostgresOptions.builder().schemaMode(dev.eventlog.spi.SchemaMode.VALIDATE).build())) {
            assertThat(limited.append(first)).isEqualTo(first.size());
            assertThat(limited.append(second)).isEqualTo(second.size());
            // The policy is enforced: the rows went in through INSERT, not around it.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> limited.append(refused))
                    .isInstanceOf(dev.eventlog.StoreException.class).hasMessageContaining("row-level security");
        }
        List<Event> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(readAll()).containsExactlyElementsOf(SampleEvents.sorted(all));
    }

    private void awaitCopyWaitingOnALock() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection watcher = db.admin(); Statement statement = watcher.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND query LIKE 'COPY \"" + schema + "\"%'")) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the append's COPY never waited on the other transaction's row");
    }

    private List<Event> readAll() {
        try (Stream<Event> events = store.read(EventQuery.of(EventKind.ACTIVITY))) {
            return events.toList();
        }
    }
}
