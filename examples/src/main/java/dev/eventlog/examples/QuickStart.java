package dev.eventlog.examples;

import dev.eventlog.DualWriter;
import dev.eventlog.Event;
import dev.eventlog.EventLogger;
import dev.eventlog.RecoveryEvent;
import dev.eventlog.SelfHealEvent;
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
                    log.logGitCommit("claude-home", "main", "abc123", "feat: add feature", 3),
                    log.logSelfHeal(SelfHealEvent.builder().errorPattern("git-username-typo")
                            .fixApplied("Rewrote URL to use correct capitalization").success(true)
                            .executionTimeMs(42).severity("low").build()),
                    log.logRecovery(RecoveryEvent.builder().errorType("port-in-use").recoveryStrategy("kill-port")
                            .success(true).attempts(1).timeToRecoverMs(1_250).recoveryMethod("auto").build()),
                    log.logRoutingMetric("q-1", "sonnet", "sonnet", 0.82, true),
                    log.logSessionOutcome("s-0001", "success", 0.9, 0.42),
                    log.logToolUse("Bash", true, 180));

            for (Event event : logged) {
                System.out.printf("logged %-16s %s into %s%n", event.kind().key(), event.id(), event.kind().table());
            }
            System.out.printf("%d events in %s, also in %s (store failures so far: %d)%n", logged.size(),
                    dir.resolve("events.db"), dir.resolve("events-jsonl"), log.metrics().failedBatches());
        }
    }
}
