package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.RowDigests;
import dev.eventlog.testkit.CountingStore;
import dev.eventlog.testkit.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The content check into PostgreSQL summing the hours a run has finished with while it goes on
 * ({@link EarlySums}): the check at the end asks only for the hours left, and its verdicts are the
 * ones of the check at the end alone, a row changed on the server during the run included.
 */
class PostgresEarlySumsTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** 2026-01-28T06:00:00Z: the events below spread over three hours from here. */
    private static final long T0 = 1_769_580_000L;
    private static final int EVENTS = 3_000;
    private static final int BATCH = 400;

    private String schema;
    private PostgresEventStore store;
    private Watching target;

    @BeforeEach
    void openStore() {
        schema = db.newSchemaName();
        store = PostgresEventStore.open(db.url(schema));
        target = new Watching(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void theHoursFinishedDuringTheRunAreNotAskedAgain() {
        List<Event> sent = events();

        ContentCheck check = run(sent, batch -> { });

        assertThat(check).isEqualTo(new ContentCheck(true, EVENTS, EVENTS, 0, 0, List.of(), List.of()));
        assertThat(target.eventsRead()).isZero();
        // Summed during the run: the first two hours, as the batches of the next began; at the end: the last.
        assertThat(target.asked).hasSizeGreaterThanOrEqualTo(3);
        Instant[] last = target.asked.get(target.asked.size() - 1);
        assertThat(last[0]).isEqualTo(Instant.ofEpochSecond(T0 + 7_200));
        assertThat(target.asked.subList(0, target.asked.size() - 1))
                .allSatisfy(range -> assertThat(range[1]).isBeforeOrEqualTo(Instant.ofEpochSecond(T0 + 7_200)));
    }

    @Test
    void aRowChangedOnTheServerDuringTheRunIsCaught() {
        List<Event> sent = events();
        UUID changed = sent.get(1_500).id();

        // Right after the batch holding event 1 500 is committed, another client changes its row.
        ContentCheck check = run(sent, batch -> {
            if (batch.stream().anyMatch(e -> e.id().equals(changed))) {
                db.execute("UPDATE " + schema + ".git_events SET repo = 'changed by another client' WHERE id = '"
                        + changed + "'");
            }
        });

        assertThat(check).isEqualTo(new ContentCheck(true, EVENTS, EVENTS - 1, 1, 0, List.of(changed), List.of()));
        // Only its hour (the second, 1 200 events) is read back.
        assertThat(target.eventsRead()).isEqualTo(1_200);
    }

    @Test
    void aRowDeletedOnTheServerDuringTheRunIsCaughtAsMissing() {
        List<Event> sent = events();
        UUID deleted = sent.get(10).id();

        ContentCheck check = run(sent, batch -> {
            if (batch.get(0).id().equals(sent.get(2 * BATCH).id())) {
                // The first hour's last batch: that hour is summed after the next batch.
                db.execute("DELETE FROM " + schema + ".git_events WHERE id = '" + deleted + "'");
            }
        });

        assertThat(check).isEqualTo(new ContentCheck(true, EVENTS, EVENTS - 1, 0, 1, List.of(), List.of(deleted)));
    }

    @Test
    void eventsOfAnHourSummedAlreadyThatComeLaterAreCheckedAtTheEnd() {
        List<Event> sent = new ArrayList<>(events());
        // An event of the first hour at the very end: the first hour's early sums miss it.
        Event late = sent.remove(5);
        sent.add(late);

        ContentCheck check = run(sent, batch -> { });

        assertThat(check).isEqualTo(new ContentCheck(true, EVENTS, EVENTS, 0, 0, List.of(), List.of()));
        assertThat(target.eventsRead()).isZero();
        // Asked again at the end: from the first hour (its early sums missed the late event) to the last.
        assertThat(target.asked.get(target.asked.size() - 1)).containsExactly(Instant.ofEpochSecond(T0),
                Instant.ofEpochSecond(T0 + 3L * (EVENTS - 1)).plusMillis(1));
    }

    /** Adds every event (the reader runs ahead), then appends them in batches, as an import does. */
    private ContentCheck run(List<Event> sent, java.util.function.Consumer<List<Event>> afterAppend) {
        try (ContentChecker checker = new ContentChecker(target)) {
            sent.forEach(checker::add);
            for (int i = 0; i < sent.size(); i += BATCH) {
                List<Event> batch = new ArrayList<>(sent.subList(i, Math.min(sent.size(), i + BATCH)));
                target.append(batch);
                afterAppend.accept(batch);
                checker.committed(batch);
            }
            return checker.check(target, MigrationListener.NONE);
        }
    }

    /** {@code EVENTS} git events three seconds apart from {@code T0} (three hours). */
    private static List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            UUID id = new UUID(0x019c0330e5307000L + i, 0x8000000000000000L | (i * 7919L));
            events.add(GitEvent.builder().id(id).ts(Instant.ofEpochSecond(T0 + i * 3L)).eventType("commit")
                    .repo("r-" + i).commitHash("h" + i).build());
        }
        return events;
    }

    /** The real store, counting the events read back and noting the ranges its sums were asked for. */
    private static final class Watching extends CountingStore {
        final List<Instant[]> asked = new CopyOnWriteArrayList<>();

        Watching(EventStore store) {
            super(store);
        }

        @Override
        public <T> Optional<T> capability(Class<T> type) {
            Optional<T> found = delegate.capability(type);
            if (type != RowDigests.class || found.isEmpty()) {
                return found;
            }
            RowDigests digests = (RowDigests) found.get();
            return Optional.of(type.cast(new RowDigests() {
                @Override
                public Hasher hasher() {
                    return digests.hasher();
                }

                @Override
                public Map<Long, Bucket> sums(EventKind kind, Instant from, Instant until) {
                    asked.add(new Instant[] {from, until});
                    return digests.sums(kind, from, until);
                }

                @Override
                public boolean sumsWhileAppending() {
                    return digests.sumsWhileAppending();
                }
            }));
        }
    }
}
