package dev.eventlog.sqlite;

import dev.eventlog.ActivityEvent;
import dev.eventlog.AsyncOptions;
import dev.eventlog.DualWriter;
import dev.eventlog.Event;
import dev.eventlog.EventLogger;
import dev.eventlog.GitEvent;
import dev.eventlog.SelfHealEvent;
import dev.eventlog.SpoolOptions;
import dev.eventlog.jsonl.JsonlEventStore;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The program the fault tests run in child JVMs and kill. It logs a stream of events of several
 * kinds and prints {@code ACK <id>} for each one whose {@code log} call returned, so the parent
 * knows exactly what was acknowledged when the kill came.
 *
 * <p>Modes:
 * <ul>
 * <li>{@code dual DB JSONL_DIR}: sync, {@code DualWriter(SQLite, JSONL)}, fail-fast, until killed</li>
 * <li>{@code writer DB START_FILE COUNT}: sync, waits for START_FILE, logs COUNT events, prints
 *     {@code FAILURE …} for every store failure reported and {@code DONE} at the end</li>
 * <li>{@code spool DB SPOOL_DIR}: sync with a spool, 200 ms busy timeout, until killed</li>
 * <li>{@code ahead DB SPOOL_DIR}: async with write-ahead files, until killed</li>
 * <li>{@code first DB START_FILE}: waits for START_FILE, then opens the store (creating it) and logs
 *     one event, fail-fast, and exits</li>
 * <li>{@code hold DB}: opens the store with the schema test hook set, so it sleeps inside its schema
 *     change, holding the lock, until killed</li>
 * </ul>
 */
public final class FaultChild {
    private FaultChild() {
    }

    public static void main(String[] args) throws Exception {
        // Buffered and flushed per line: each line reaches the pipe in one write, whole or not at all.
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        AtomicLong failures = new AtomicLong();
        Path db = Path.of(args[1]);
        switch (args[0]) {
            case "dual" -> {
                try (EventLogger logger = EventLogger.builder().failFast(true)
                        .store(DualWriter.of(SqliteEventStore.open(db), JsonlEventStore.open(Path.of(args[2]))))
                        .build()) {
                    out.println("READY");
                    out.flush();
                    logForever(logger, out);
                }
            }
            case "writer" -> {
                try (EventLogger logger = EventLogger.builder().store(SqliteEventStore.open(db))
                        .errorHandler((error, events) -> {
                            failures.incrementAndGet();
                            synchronized (out) {
                                out.println("FAILURE " + error.getMessage().replace('\n', ' '));
                                out.flush();
                            }
                        }).build()) {
                    out.println("READY");
                    out.flush();
                    Path start = Path.of(args[2]);
                    while (!Files.exists(start)) {
                        Thread.sleep(5);
                    }
                    int count = Integer.parseInt(args[3]);
                    for (int i = 0; i < count; i++) {
                        ack(out, next(logger, i));
                    }
                }
                out.println("DONE failures=" + failures.get());
                out.flush();
            }
            case "spool" -> {
                try (EventLogger logger = EventLogger.builder()
                        .store(SqliteEventStore.open(db, SqliteOptions.builder().busyTimeoutMs(200).build()))
                        .spool(SpoolOptions.builder(Path.of(args[2])).retryInterval(Duration.ofMillis(300)).build())
                        .errorHandler((error, events) -> { }).build()) {
                    out.println("READY");
                    out.flush();
                    logForever(logger, out);
                }
            }
            case "ahead" -> {
                try (EventLogger logger = EventLogger.builder().store(SqliteEventStore.open(db))
                        .async(AsyncOptions.builder().writeAhead(true).batchSize(200).build())
                        .spool(SpoolOptions.builder(Path.of(args[2])).build()).build()) {
                    out.println("READY");
                    out.flush();
                    logForever(logger, out);
                }
            }
            case "first" -> {
                out.println("READY");
                out.flush();
                Path start = Path.of(args[2]);
                while (!Files.exists(start)) {
                    Thread.sleep(1);
                }
                try (EventLogger logger = EventLogger.builder().failFast(true).store(SqliteEventStore.open(db))
                        .build()) {
                    ack(out, logger.logActivity(ActivityEvent.builder().activityType("first-use")
                            .description("process " + ProcessHandle.current().pid()).build()));
                }
            }
            case "hold" -> {
                System.setProperty(dev.eventlog.jdbc.SchemaMigrator.HOLD_PROPERTY, "600000");
                // Not from the template: Liquibase must run for there to be a change to kill.
                SqliteEventStore.open(db, SqliteOptions.DEFAULT, false).close();
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void logForever(EventLogger logger, PrintStream out) {
        for (int i = 0; ; i++) {
            ack(out, next(logger, i));
        }
    }

    private static void ack(PrintStream out, Event event) {
        synchronized (out) {
            out.println("ACK " + event.id());
            out.flush();
        }
    }

    /** The {@code i}-th event: a mix of kinds, so several tables and files are written. */
    private static Event next(EventLogger logger, int i) {
        return switch (i % 5) {
            case 0 -> logger.logGit(GitEvent.builder().eventType("commit").repo("repo").branch("main")
                    .commitHash(Integer.toHexString(i)).message("commit " + i).filesChanged(i % 7).build());
            case 1 -> logger.logToolUse("Bash", i % 3 != 0, i);
            case 2 -> logger.logSelfHeal(SelfHealEvent.builder().errorPattern("pattern-" + (i % 11))
                    .fixApplied("fix").success(true).executionTimeMs(i).build());
            case 3 -> logger.logActivity(ActivityEvent.builder().activityType("work").description("step " + i)
                    .projectPath("/project").build());
            default -> logger.logCustom("deploy", Map.of("n", i, "env", "prod"));
        };
    }
}
