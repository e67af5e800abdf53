package dev.eventlog.examples;

import dev.eventlog.DualWriter;
import dev.eventlog.Event;
import dev.eventlog.EventLogger;
import dev.eventlog.GitEvent;
import dev.eventlog.RecoveryEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.SelfHealEvent;
import dev.eventlog.SessionOutcomeEvent;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.util.List;

/**
 * The quick start: log one event of the common kinds into {@code events.db} (SQLite) while the
 * JSONL files in {@code events-jsonl/} keep being written beside it, then print what was logged.
 *
 * <p>Run from the repository root: {@code mvn -q -pl examples -am compile exec:java}. An optional
 * argument names the directory to write into (default: the current directory).
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** Runs the quick start in {@code args[0]}, or in the current directory. */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        DualWriter store = DualWriter.of(
                SqliteEventStore.open(dir.resolve("events.db")),
                JsonlEventStore.open(dir.resolve("events-jsonl")));

        try (EventLogger log = EventLogger.builder().store(store).source("quick-start").build()) {
            List<Event> logged = List.of(
                    log.logGit(GitEvent.builder().eventType("commit").repo("claude-home").branch("main")
                            .commitHash("abc123").message("feat: add feature").filesChanged(3).build()),
                    log.logSelfHeal(SelfHealEvent.builder().errorPattern("git-username-typo")
                            .fixApplied("Rewrote URL to use correct capitalization").success(true)
                            .executionTimeMs(42).severity("low").build()),
                    log.logRecovery(RecoveryEvent.builder().errorType("port-in-use").recoveryStrategy("kill-port")
                            .success(true).attempts(1).timeToRecoverMs(1_250).recoveryMethod("auto").build()),
                    log.logRoutingMetric(RoutingMetricEvent.builder().queryId("q-1").predictedModel("sonnet")
                            .actualModel("sonnet").dqScore(0.82).accuracy(true).build()),
                    log.logSessionOutcome(SessionOutcomeEvent.builder().sessionId("s-0001").outcome("success")
                            .quality(0.9).costUsd(0.42).build()),
                    log.logToolUse("Bash", true, 180));

            for (Event event : logged) {
                System.out.printf("logged %-16s %s into %s%n", event.kind().key(), event.id(), event.kind().table());
            }
            System.out.printf("%d events in %s, also in %s (store failures so far: %d)%n", logged.size(),
                    dir.resolve("events.db"), dir.resolve("events-jsonl"), log.metrics().failedBatches());
        }
    }
}
