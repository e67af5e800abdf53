package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopierTest {
    @TempDir
    Path dir;

    JsonlEventStore source;
    JsonlEventStore target;

    @BeforeEach
    void openStores() {
        source = JsonlEventStore.open(dir.resolve("source"));
        target = JsonlEventStore.open(dir.resolve("target"));
    }

    @AfterEach
    void closeStores() {
        source.close();
        target.close();
    }

    @Test
    void copiesEveryEventAndReportsItCheckedAndIdentical() {
        source.append(SampleEvents.everyKind());

        MigrationReport report = Copier.builder().source(source).target(target).build().run();

        assertThat(report.operation()).isEqualTo("copy");
        assertThat(report.totals()).isEqualTo(new KindTally(10, 10, 0, 0));
        assertThat(report.rowsAfter().values()).containsOnly(1L);
        assertThat(report.contentCheck().identical()).isEqualTo(10);
        assertThat(report.ok()).isTrue();
        assertThat(DualReadValidator.compare(source, target).identical()).isTrue();
    }

    @Test
    void aSecondCopyAddsNothing() {
        source.append(SampleEvents.everyKind());
        Copier.builder().source(source).target(target).build().run();

        MigrationReport again = Copier.builder().source(source).target(target).build().run();

        assertThat(again.totals()).isEqualTo(new KindTally(10, 0, 10, 0));
        assertThat(again.ok()).isTrue();
    }

    @Test
    void copiesOnlyTheKindsAndTimeRangeAsked() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(SampleEvents.empty(EventKind.TOOL_USE, SampleEvents.T0.plusSeconds(i)));
            events.add(SampleEvents.empty(EventKind.ACTIVITY, SampleEvents.T0.plusSeconds(i)));
        }
        source.append(events);

        MigrationReport report = Copier.builder().source(source).target(target).kinds(Set.of(EventKind.TOOL_USE))
                .since(SampleEvents.T0.plusSeconds(2)).until(SampleEvents.T0.plusSeconds(5)).build().run();

        assertThat(report.kinds()).containsOnlyKeys(EventKind.TOOL_USE);
        assertThat(report.totals().imported()).isEqualTo(3);
        assertThat(report.rowsAfter().get("tool_events")).isEqualTo(3);
        assertThat(report.rowsAfter().get("activity_events")).isZero();
    }

    @Test
    void aCopyStoppedByAFailureIsCompletedByARerunWithoutDuplicates() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 350; i++) {
            events.add(SampleEvents.empty(EventKind.COORDINATOR, SampleEvents.T0.plusMillis(i)));
        }
        source.append(events);

        assertThatThrownBy(() -> Copier.builder().source(source).target(new FailingStore(target, 3)).batchSize(100)
                .build().run()).isInstanceOf(StoreException.class);
        assertThat(target.count(EventQuery.all()).get(EventKind.COORDINATOR)).isEqualTo(200);

        MigrationReport rerun = Copier.builder().source(source).target(target).batchSize(100).build().run();

        assertThat(rerun.totals()).isEqualTo(new KindTally(350, 150, 200, 0));
        assertThat(DualReadValidator.compare(source, target).identical()).isTrue();
    }

    @Test
    void aSourceFailingWhileReadStoresTheBatchesReadBeforeAndThrowsItsOwnFailure() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 350; i++) {
            events.add(SampleEvents.empty(EventKind.COORDINATOR, SampleEvents.T0.plusMillis(i)));
        }
        source.append(events);
        StoreException broken = new StoreException("source lost its connection at event 251");
        ReadFailingStore failing = new ReadFailingStore(source, 251, broken);

        assertThatThrownBy(() -> Copier.builder().source(failing).target(target).batchSize(100).build().run())
                .isSameAs(broken);

        assertThat(target.count(EventQuery.all()).get(EventKind.COORDINATOR)).isEqualTo(200);
        assertThat(failing.streamsClosed()).isEqualTo(failing.streamsOpened());
        assertThat(readerThreads()).isEmpty();
    }

    @Test
    void aTargetFailingStopsTheReadingOfTheSourceAndClosesIt() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            events.add(SampleEvents.empty(EventKind.COORDINATOR, SampleEvents.T0.plusMillis(i)));
        }
        source.append(events);
        ReadFailingStore counted = new ReadFailingStore(source, Integer.MAX_VALUE, null);

        assertThatThrownBy(() -> Copier.builder().source(counted).target(new FailingStore(target, 2)).batchSize(100)
                .build().run()).isInstanceOf(StoreException.class).hasMessageContaining("append #2");

        assertThat(counted.streamsClosed()).isEqualTo(counted.streamsOpened());
        // The reader stopped at the batches waiting to be appended, not at the end of the source.
        assertThat(counted.eventsRead()).isLessThan(events.size());
        assertThat(readerThreads()).isEmpty();
    }

    private static List<Thread> readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().endsWith("-reader") && thread.getName().startsWith("eventlog-"))
                .filter(Thread::isAlive).toList();
    }

    @Test
    void countsUnreadableLinesOfAJsonlSourceAsRejected() throws Exception {
        source.append(SampleEvents.everyKind());
        Files.writeString(source.file(EventKind.GIT), "{\"ts\": \"never\"}\n",
                java.nio.file.StandardOpenOption.APPEND);

        MigrationReport report;
        try (JsonlEventStore reopened = JsonlEventStore.open(dir.resolve("source"))) {
            report = Copier.builder().source(reopened).target(target).build().run();
        }

        assertThat(report.kinds().get(EventKind.GIT)).isEqualTo(new KindTally(1, 1, 0, 1));
        assertThat(report.ok()).isFalse();
    }

    @Test
    void refusesToCopyAStoreOntoItself() {
        assertThatThrownBy(() -> Copier.builder().source(source).target(source).batchSize(0).build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).hasSize(2));
    }
}
