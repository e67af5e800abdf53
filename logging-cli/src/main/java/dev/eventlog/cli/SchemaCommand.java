package dev.eventlog.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.SchemaManaged;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog schema status|update|rollback}: the Liquibase change sets of a SQL store. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Shows, applies or rolls back the Liquibase change sets of a SQLite or PostgreSQL store.",
        subcommands = {SchemaCommand.Status.class, SchemaCommand.Update.class, SchemaCommand.Rollback.class})
final class SchemaCommand {

    /** Opens {@code url}, which must exist, without touching its schema. */
    static EventStore open(String url) {
        return Stores.openForSchema("STORE", url);
    }

    /** The schema of {@code store}, through {@link EventStore#capability}; JSONL stores have none. */
    static SchemaManaged schemaOf(EventStore store) {
        return store.capability(SchemaManaged.class).orElseThrow(() -> new ConfigurationException("STORE was '"
                + store.describe() + "' but it must be a SQLite or PostgreSQL store: only they have a schema"));
    }

    static void printStatus(SchemaManaged schema, PrintWriter out, boolean json) {
        List<String> applied = schema.appliedChangeSets();
        List<String> pending = schema.pendingChangeSets();
        List<String> unknown = schema.unknownChangeSets();
        if (json) {
            ObjectNode root = new ObjectMapper().createObjectNode();
            applied.forEach(root.putArray("applied")::add);
            pending.forEach(root.putArray("pending")::add);
            unknown.forEach(root.putArray("unknown")::add);
            root.put("up_to_date", pending.isEmpty() && unknown.isEmpty());
            Reports.write(out, root);
            return;
        }
        out.println("applied change sets: " + applied.size());
        applied.forEach(id -> out.println("  " + id));
        out.println("pending change sets: " + pending.size());
        pending.forEach(id -> out.println("  " + id));
        if (!unknown.isEmpty()) {
            out.println("change sets this build does not know (the schema is newer): " + unknown.size());
            unknown.forEach(id -> out.println("  " + id));
        }
        out.println(pending.isEmpty() && unknown.isEmpty() ? "result: up to date"
                : unknown.isEmpty() ? "result: out of date; run 'eventlog schema update'"
                        : "result: newer than this build; upgrade eventlog");
        out.flush();
    }

    /** {@code eventlog schema status STORE}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Lists the applied and pending change sets, and any this build does not know.",
            footer = {"", "Exit codes: 0 up to date, 1 change sets are pending or unknown, 2 an unusable store."})
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "STORE", description = "sqlite:PATH or jdbc:postgresql://...; it must exist.")
        String store;

        @Option(names = "--json", description = "Print the status as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            try (EventStore opened = open(store)) {
                SchemaManaged schema = schemaOf(opened);
                printStatus(schema, spec.commandLine().getOut(), json);
                int pending = schema.pendingChangeSets().size();
                int unknown = schema.unknownChangeSets().size();
                if (pending == 0 && unknown == 0) {
                    return EventlogCommand.OK;
                }
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + (unknown > 0
                        ? unknown + " change set(s) this build does not know: upgrade eventlog"
                        : pending + " change set(s) pending: run 'eventlog schema update'"));
                return EventlogCommand.DATA;
            }
        }
    }

    /** {@code eventlog schema update STORE}. */
    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Applies every pending change set.",
            footer = {"", "Exit codes: 0 up to date, 2 an unusable store or a schema newer than this build."})
    static final class Update implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "STORE", description = "sqlite:PATH or jdbc:postgresql://...; it must exist.")
        String store;

        @Override
        public Integer call() {
            try (EventStore opened = open(store)) {
                SchemaManaged schema = schemaOf(opened);
                int pending = schema.pendingChangeSets().size();
                schema.updateSchema();
                spec.commandLine().getOut().println("applied " + pending + " change set(s); "
                        + schema.appliedChangeSets().size() + " applied in all");
                return EventlogCommand.OK;
            }
        }
    }

    /** {@code eventlog schema rollback [--count N] STORE}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Rolls back the most recently applied change sets, newest first.",
            footer = {"", "Exit codes: 0 rolled back, 2 an unusable store or a count out of range."})
    static final class Rollback implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--count", paramLabel = "N", defaultValue = "1",
                description = "How many change sets to roll back (default: ${DEFAULT-VALUE}).")
        int count;

        @Parameters(paramLabel = "STORE", description = "sqlite:PATH or jdbc:postgresql://...; it must exist.")
        String store;

        @Override
        public Integer call() {
            try (EventStore opened = open(store)) {
                SchemaManaged schema = schemaOf(opened);
                List<String> applied = schema.appliedChangeSets();
                schema.rollbackSchema(count);
                List<String> rolledBack = new ArrayList<>(applied.subList(Math.max(0, applied.size() - count),
                        applied.size()));
                Collections.reverse(rolledBack);
                spec.commandLine().getOut().println("rolled back " + rolledBack.size() + " change set(s): "
                        + String.join(", ", rolledBack));
                return EventlogCommand.OK;
            }
        }
    }
}
