package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.GitEvent;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.testkit.CountingStore;
import dev.eventlog.testkit.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The content check into PostgreSQL with its ids spilled to sorted runs (a threshold of 64 ids):
 * the database's sums of row hashes per hour still prove every row without reading it back when
 * they agree, an id sent again after its first copy was spilled is summed once, and the hours that
 * disagree are read back and merged with the runs to name the differing and missing events, with
 * the same counts as the check with every id in memory.
 */
class PostgresSpilledContentCheckTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final int SPILL_AT = 64;
    /** 2026-01-28T06:00:00Z: the events below spread over three hours from here. */
    private static final long T0 = 1_769_580_000L;
    private static final int EVENTS = 3_000;

    private PostgresEventStore store;
    private CountingStore target;

    @BeforeEach
    void openStore() {
        store = PostgresEventStore.open(db.url(db.newSchemaName()));
        target = new CountingStore(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void agreeingSumsProveEverySpilledRowWithoutReadingItBack() {
        List<Event> sent = events("r-");
        store.append(sent);
        // Later copies of ids already spilled, with other content: the first copy is what was stored and summed.
        List<Event> withCopies = new ArrayList<>(sent);
        for (int i = 0; i < EVENTS; i += 250) {
            withCopies.add(event(sent.get(i).id(), i, "a later copy "));
        }

        ContentCheck check = check(new ContentChecker(target, SPILL_AT), withCopies);

        assertThat(check).isEqualTo(new ContentCheck(true, EVENTS, EVENTS, 0, 0, List.of(), List.of()));
        assertThat(target.eventsRead()).isZero();
    }

    @Test
    void disagreeingHoursAreReadBackAndNameTheDifferingAndMissingEvents() {
        List<Event> sent = events("r-");
        List<Event> stored = new ArrayList<>();
        List<UUID> differing = new ArrayList<>();
        List<UUID> missing = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            Event event = sent.get(i);
            if (i == 17 || i == 2_900) {
                missing.add(event.id());
            } else if (i == 1_203) {
                differing.add(event.id());
                stored.add(event(event.id(), i, "changed-"));
            } else {
                stored.add(event);
            }
        }
        // Rows of a sent hour that the run did not send: that hour is read back, they do not count.
        stored.add(event(UUID.randomUUID(), 10, "not sent "));
        store.append(stored);

        ContentCheck inMemory = check(new ContentChecker(target), sent);
        long readInMemory = target.eventsRead();
        ContentCheck spilled = check(new ContentChecker(target, SPILL_AT), sent);

        assertThat(spilled).isEqualTo(new ContentCheck(true, EVENTS, EVENTS - 3, 1, 2, differing,
                spilled.firstMissing()));
        assertThat(spilled.firstMissing()).containsExactlyInAnyOrderElementsOf(missing);
        assertThat(inMemory.checked()).isEqualTo(spilled.checked());
        assertThat(inMemory.identical()).isEqualTo(spilled.identical());
        assertThat(inMemory.differing()).isEqualTo(spilled.differing());
        assertThat(inMemory.missing()).isEqualTo(spilled.missing());
        assertThat(inMemory.firstDiffering()).isEqualTo(differing);
        assertThat(inMemory.firstMissing()).containsExactlyInAnyOrderElementsOf(missing);
        // Every hour disagrees here (a missing event in the first and the last, a changed one in the
        // second), so both read back the same rows: every row stored.
        assertThat(target.eventsRead() - readInMemory).isEqualTo(readInMemory).isEqualTo(stored.size());
    }

    @Test
    void onlyTheHourThatDisagreesIsReadBack() {
        List<Event> sent = events("r-");
        List<Event> stored = new ArrayList<>(sent);
        UUID id = sent.get(1_500).id();
        stored.set(1_500, event(id, 1_500, "changed-"));
        store.append(stored);

        ContentCheck check = check(new ContentChecker(target, SPILL_AT), sent);

        assertThat(check).isEqualTo(new ContentCheck(true, EVENTS, EVENTS - 1, 1, 0, List.of(id), List.of()));
        // The second of three hours: 1 200 events, each 3 seconds apart.
        assertThat(target.eventsRead()).isEqualTo(1_200);
    }

    private ContentCheck check(ContentChecker checker, List<Event> sent) {
        try (checker) {
            sent.forEach(checker::add);
            return checker.check(target, MigrationListener.NONE);
        }
    }

    /** {@code EVENTS} git events three seconds apart from {@code T0} (three hours), repos named from {@code repo}. */
    private static List<Event> events(String repo) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(event(new UUID(0x019c0330e5307000L + i, 0x8000000000000000L | (i * 7919L)), i, repo));
        }
        return events;
    }

    private static Event event(UUID id, int i, String repo) {
        return GitEvent.builder().id(id).ts(Instant.ofEpochSecond(T0 + i * 3L)).eventType("commit")
                .repo(repo + i).commitHash("h" + i).build();
    }
}
