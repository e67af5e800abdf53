package dev.eventlog.examples;

import dev.eventlog.EventKind;
import dev.eventlog.EventLogger;
import dev.eventlog.GitEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.postgres.PostgresOptions;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.SchemaMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Logging into a shared PostgreSQL database: open the store from a JDBC URL whose
 * {@code currentSchema} names the schema (created and migrated on first open), log through the
 * same {@code EventLogger} calls as with SQLite, then reopen the schema in validate-only mode, as
 * an application whose role may only read and insert would.
 *
 * <p>Run from the repository root:
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.eventlog.examples.PostgresExample
 * -Dexec.args="jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=eventlog_example"}.
 */
public final class PostgresExample {
    private PostgresExample() {
    }

    /** Logs into the database at {@code args[0]} (default: the local server, schema {@code eventlog_example}). */
    public static void main(String[] args) {
        String url = args.length > 0 ? args[0]
                : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=eventlog_example";
        PostgresOptions pool = PostgresOptions.builder().maximumPoolSize(4).connectionTimeoutMs(5_000).build();

        try (EventLogger log = EventLogger.builder().store(PostgresEventStore.open(url, pool))
                .source("postgres-example").build()) {
            log.logGit(GitEvent.builder().eventType("commit").repo("claude-home").branch("main")
                    .commitHash("abc123").message("feat: shared event log").filesChanged(2).build());
            log.logRoutingMetric(RoutingMetricEvent.builder().queryId("q-42").predictedModel("opus")
                    .actualModel("sonnet").dqScore(0.71).accuracy(false).build());
            log.logCustom("deploy", Map.of("env", "prod", "replicas", 3));

            // One batch, one transaction: the store copies large batches through a staging table.
            List<ToolUseEvent> tools = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                tools.add(ToolUseEvent.builder().toolName(i % 2 == 0 ? "Bash" : "Grep").success(i % 10 != 0)
                        .durationMs(5 + i % 200).build());
            }
            log.logAll(tools);

            System.out.printf("logged into %s; store failures so far: %d%n", log.store().describe(),
                    log.metrics().failedBatches());
        }

        PostgresOptions validateOnly = pool.toBuilder().schemaMode(SchemaMode.VALIDATE).build();
        try (PostgresEventStore store = PostgresEventStore.open(url, validateOnly)) {
            Map<EventKind, Long> counts = store.count(EventQuery.all());
            counts.forEach((kind, n) -> {
                if (n > 0) {
                    System.out.printf("%-16s %6d rows in %s.%s%n", kind.key(), n, store.schema(), kind.table());
                }
            });
        }
    }
}
