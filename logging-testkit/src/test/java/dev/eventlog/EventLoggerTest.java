package dev.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLoggerTest {
    @TempDir
    Path dir;

    private List<Event> readAll(EventStore store) {
        try (Stream<Event> events = store.read(EventQuery.all())) {
            return events.toList();
        }
    }

    @Test
    void logsEveryKindThroughItsTypedMethod() {
        JsonlEventStore store = JsonlEventStore.open(dir);
        try (EventLogger log = EventLogger.builder().store(store).build()) {
            log.logGitCommit("repo", "main", "abc", "msg", 2);
            log.logGitPush("repo", "main", 3);
            log.logGitPr("repo", "feature", "Add it");
            log.logSelfHeal("stale-lock", "rm lock", true, 12);
            log.logRecovery("oom", "restart", true, 2, 900);
            log.logRoutingMetric("q", "opus", "opus", 0.5, true);
            log.logSessionOutcome("s-1", "success", 0.8, 1.25);
            log.logToolUse("Bash", true, 120);
            log.logActivity("research", "read", "/p");
            log.logCoordinator("agent-1", "spawn", "ok");
            log.logExpertiseRouting("sql", 0.9, "opus");
            log.logCustom("deploy", Map.of("env", "prod"));

            List<Event> read = readAll(store);
            assertThat(read).hasSize(12);
            assertThat(read).extracting(Event::kind).containsOnly(EventKind.values());
            assertThat(log.metrics()).extracting(LoggerMetrics::logged, LoggerMetrics::stored, LoggerMetrics::committed,
                    LoggerMetrics::batches, LoggerMetrics::failedBatches, LoggerMetrics::failedEvents,
                    LoggerMetrics::dropped).containsExactly(12L, 12L, 12L, 12L, 0L, 0L, 0L);
        }
    }

    @Test
    void missingRequiredArgumentsThrowNamingTheField() {
        try (EventLogger log = EventLogger.builder().store(JsonlEventStore.open(dir)).build()) {
            assertThatThrownBy(() -> log.logGitCommit(null, "main", "abc", "m", 1))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("repo");
            assertThatThrownBy(() -> log.logGitCommit("repo", "main", null, "m", 1))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("commit_hash");
            assertThatThrownBy(() -> log.logSelfHeal(SelfHealEvent.builder().errorPattern("p").build()))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("success");
            assertThatThrownBy(() -> log.logRoutingMetric("q", "opus", "opus", Double.NaN, true))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("dq_score").hasMessageContaining("NaN");
            assertThatThrownBy(() -> log.logSessionOutcome("s", "ok", 0.5, Double.POSITIVE_INFINITY))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("cost_usd");
            assertThatThrownBy(() -> log.logCustom("x", Map.of("ratio", Double.NaN)))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("attributes.ratio");
            assertThatThrownBy(() -> log.logCustom(" ", Map.of()))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("kind");
            assertThat(log.metrics().logged()).isZero();
        }
    }

    @Test
    void aStoreFailureGoesToTheErrorHandlerNotTheCaller() {
        JsonlEventStore store = JsonlEventStore.open(dir);
        store.close();
        List<EventLogException> handled = new ArrayList<>();
        EventLogger log = EventLogger.builder().store(store).errorHandler((e, events) -> handled.add(e)).build();

        log.logToolUse("Read", true, 5);
        log.logToolUse("Read", true, 6);

        assertThat(handled).hasSize(2).allSatisfy(e -> assertThat(e).hasMessageContaining("closed"));
        assertThat(log.metrics()).extracting(LoggerMetrics::logged, LoggerMetrics::stored, LoggerMetrics::failedBatches,
                LoggerMetrics::failedEvents, LoggerMetrics::retried).containsExactly(2L, 0L, 2L, 2L, 1L);
        assertThat(log.health().storeReachable()).isFalse();
    }

    @Test
    void aThrowingErrorHandlerStillDoesNotReachTheCaller() {
        JsonlEventStore store = JsonlEventStore.open(dir);
        store.close();
        EventLogger log = EventLogger.builder().store(store).errorHandler((e, events) -> {
            throw new IllegalStateException("handler bug");
        }).build();

        log.logToolUse("Read", true, 5);

        assertThat(log.metrics().failedBatches()).isEqualTo(1);
    }

    @Test
    void failFastThrowsStoreFailuresIntoTheCaller() {
        JsonlEventStore store = JsonlEventStore.open(dir);
        store.close();
        EventLogger log = EventLogger.builder().store(store).failFast(true).build();

        assertThatThrownBy(() -> log.logToolUse("Read", true, 5)).isInstanceOf(StoreException.class);
        assertThat(log.metrics().failedBatches()).isEqualTo(1);
    }

    @Test
    void fillsInTheDefaultSourceAndSessionButKeepsTheEventsOwn() {
        JsonlEventStore store = JsonlEventStore.open(dir);
        try (EventLogger log = EventLogger.builder().store(store).source("host-a").sessionId("s-9").build()) {
            ToolUseEvent defaulted = log.logToolUse("Read", true, 5);
            ToolUseEvent own = log.logToolUse(ToolUseEvent.builder().toolName("Edit").success(true)
                    .source("host-b").sessionId("s-1").build());

            assertThat(defaulted.source()).isEqualTo("host-a");
            assertThat(defaulted.sessionId()).isEqualTo("s-9");
            assertThat(own.source()).isEqualTo("host-b");
            assertThat(own.sessionId()).isEqualTo("s-1");
            assertThat(readAll(store)).containsExactly(defaulted, own);
        }
    }

    @Test
    void reportsEveryMissingSettingAtOnce() {
        assertThatThrownBy(() -> EventLogger.builder().errorHandler(null).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("store was 'null' but it must be")
                .hasMessageContaining("errorHandler was 'null' but it must be");
    }

    @Test
    void idsAreTimeOrderedVersion7Uuids() {
        List<Event> events = SampleEvents.activities(100, SampleEvents.T0);

        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            assertThat(event.id().version()).isEqualTo(7);
            assertThat(Ids.epochMillis(event.id())).isEqualTo(event.ts().toEpochMilli());
            if (i > 0) {
                assertThat(event.id()).isGreaterThan(events.get(i - 1).id());
            }
        }
    }
}
