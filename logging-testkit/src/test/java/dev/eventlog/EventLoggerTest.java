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
            log.logGit(GitEvent.builder().eventType("commit").repo("repo").branch("main").commitHash("abc")
                    .message("msg").filesChanged(2).build());
            log.logGit(GitEvent.builder().eventType("push").repo("repo").branch("main").commits(3).build());
            log.logGit(GitEvent.builder().eventType("pr").repo("repo").branch("feature").message("Add it").build());
            log.logSelfHeal(SelfHealEvent.builder().errorPattern("stale-lock").fixApplied("rm lock").success(true)
                    .executionTimeMs(12).build());
            log.logRecovery(RecoveryEvent.builder().errorType("oom").recoveryStrategy("restart").success(true)
                    .attempts(2).timeToRecoverMs(900).build());
            log.logRoutingMetric(RoutingMetricEvent.builder().queryId("q").predictedModel("opus").actualModel("opus")
                    .dqScore(0.5).accuracy(true).build());
            log.logSessionOutcome(SessionOutcomeEvent.builder().sessionId("s-1").outcome("success").quality(0.8)
                    .costUsd(1.25).build());
            log.logToolUse("Bash", true, 120);
            log.logActivity(ActivityEvent.builder().activityType("research").description("read").projectPath("/p")
                    .build());
            log.logCoordinator(CoordinatorEvent.builder().agentId("agent-1").action("spawn").result("ok").build());
            log.logExpertiseRouting(ExpertiseRoutingEvent.builder().domain("sql").expertiseLevel(0.9)
                    .chosenModel("opus").build());
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
    void thePlainOverloadsFillTheFieldsTheyNameAndTheLoggersSession() {
        JsonlEventStore store = JsonlEventStore.open(dir);
        try (EventLogger log = EventLogger.builder().store(store).sessionId("s-7").build()) {
            SelfHealEvent heal = log.logSelfHeal("stale-lock", true, 12);
            RecoveryEvent recovery = log.logRecovery("oom", false, 3, 900);
            SessionOutcomeEvent outcome = log.logSessionOutcome("success", 0.8, 1.25);
            ToolUseEvent tool = log.logToolUse("Bash", true, 120);

            assertThat(heal).extracting(SelfHealEvent::errorPattern, SelfHealEvent::success,
                    SelfHealEvent::executionTimeMs).containsExactly("stale-lock", true, 12L);
            assertThat(recovery).extracting(RecoveryEvent::errorType, RecoveryEvent::success, RecoveryEvent::attempts,
                    RecoveryEvent::timeToRecoverMs).containsExactly("oom", false, 3L, 900L);
            assertThat(outcome).extracting(SessionOutcomeEvent::outcome, SessionOutcomeEvent::quality,
                    SessionOutcomeEvent::costUsd).containsExactly("success", 0.8, 1.25);
            assertThat(outcome.envelope().sessionId()).isEqualTo("s-7");
            assertThat(tool).extracting(ToolUseEvent::toolName, ToolUseEvent::success, ToolUseEvent::durationMs)
                    .containsExactly("Bash", true, 120L);
            assertThat(readAll(store)).containsExactlyInAnyOrder(heal, recovery, outcome, tool);
        }
    }

    @Test
    void missingRequiredArgumentsThrowNamingTheField() {
        try (EventLogger log = EventLogger.builder().store(JsonlEventStore.open(dir)).build()) {
            assertThatThrownBy(() -> log.logGit(GitEvent.builder().eventType("commit").branch("main")
                    .commitHash("abc").build()))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("repo");
            assertThatThrownBy(() -> log.logSelfHeal(null, true, 1))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("error_pattern");
            assertThatThrownBy(() -> log.logSessionOutcome(null, 0.5, 0.1))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("outcome");
            assertThatThrownBy(() -> log.logSelfHeal(SelfHealEvent.builder().errorPattern("p").build()))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("success");
            assertThatThrownBy(() -> log.logRoutingMetric(RoutingMetricEvent.builder().queryId("q")
                    .predictedModel("opus").dqScore(Double.NaN).accuracy(true).build()))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("dq_score").hasMessageContaining("NaN");
            assertThatThrownBy(() -> log.logSessionOutcome("ok", 0.5, Double.POSITIVE_INFINITY))
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
