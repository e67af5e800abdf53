package dev.eventlog.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.SchemaManaged;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eventlog schema status|update|rollback|lock|unlock|partition}: the Liquibase change sets of
 * a SQL store, its schema lock, and the time partitions of a PostgreSQL store's tables.
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Shows, applies or rolls back the Liquibase change sets of a SQLite or PostgreSQL store.",
        subcommands = {SchemaCommand.Status.class, SchemaCommand.Update.class, SchemaCommand.Rollback.class,
                SchemaCommand.Lock.class, SchemaCommand.Unlock.class, SchemaCommand.Partition.class,
                SchemaCommand.Partman.class})
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
        Optional<String> lock = schema.schemaLock();
        if (json) {
            ObjectNode root = new ObjectMapper().createObjectNode();
            applied.forEach(root.putArray("applied")::add);
            pending.forEach(root.putArray("pending")::add);
            unknown.forEach(root.putArray("unknown")::add);
            root.put("up_to_date", pending.isEmpty() && unknown.isEmpty());
            if (lock.isPresent()) {
                root.put("lock", lock.get());
            } else {
                root.putNull("lock");
            }
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
        lock.ifPresent(holder -> out.println(staleLock(holder)));
        out.println(pending.isEmpty() && unknown.isEmpty() ? "result: up to date"
                : unknown.isEmpty() ? "result: out of date; run 'eventlog schema update'"
                        : "result: newer than this build; upgrade eventlog");
        out.flush();
    }

    static String staleLock(String state) {
        return "schema lock: " + state + (state.endsWith("(stale)")
                ? "; clear it with 'eventlog schema unlock STORE' (the next schema change clears it too)" : "");
    }

    /**
     * A subcommand on the schema of one SQL store: opens {@code STORE} without touching its schema,
     * runs on its {@link SchemaManaged} and closes it.
     */
    abstract static class OnSchema implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "STORE", description = "sqlite:PATH or jdbc:postgresql://...; it must exist.")
        String store;

        @Override
        public final Integer call() {
            try (EventStore opened = open(store)) {
                return run(schemaOf(opened));
            }
        }

        /** The subcommand's work on the store's schema; its exit code. */
        abstract int run(SchemaManaged schema);
    }

    /** {@code eventlog schema status STORE}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Lists the applied and pending change sets, and any this build does not know.",
            footer = {"", "Exit codes: 0 up to date, 1 change sets are pending or unknown, 2 an unusable store."})
    static final class Status extends OnSchema {
        @Option(names = "--json", description = "Print the status as one JSON object.")
        boolean json;

        @Override
        int run(SchemaManaged schema) {
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

    /** {@code eventlog schema update STORE}. */
    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Applies every pending change set.",
            footer = {"", "Exit codes: 0 up to date, 2 an unusable store or a schema newer than this build."})
    static final class Update extends OnSchema {
        @Override
        int run(SchemaManaged schema) {
            int pending = schema.pendingChangeSets().size();
            schema.updateSchema();
            spec.commandLine().getOut().println("applied " + pending + " change set(s); "
                    + schema.appliedChangeSets().size() + " applied in all");
            return EventlogCommand.OK;
        }
    }

    /** {@code eventlog schema rollback [--count N] [--force] STORE}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Rolls back the most recently applied change sets, newest first, all or none.",
                "Refuses when the database has change sets this build does not know (roll those back with the"
                        + " version that applied them), and when a table to drop holds rows, unless --force."},
            footer = {"", "Exit codes: 0 rolled back, 2 an unusable store, a count out of range, a newer schema,"
                    + " or rows that would be dropped without --force (nothing is changed then)."})
    static final class Rollback extends OnSchema {
        @Option(names = "--count", paramLabel = "N", defaultValue = "1",
                description = "How many change sets to roll back (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--force", description = "Drop tables even when they hold rows (the rows are lost).")
        boolean force;

        @Override
        int run(SchemaManaged schema) {
            List<String> rolledBack = schema.rollbackSchema(count, force);
            spec.commandLine().getOut().println("rolled back " + rolledBack.size() + " change set(s): "
                    + String.join(", ", rolledBack));
            return EventlogCommand.OK;
        }
    }

    /** {@code eventlog schema lock STORE}. */
    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = {"Shows whether the schema's Liquibase lock is taken. eventlog changes a schema in one"
                    + " transaction under a lock that dies with its process, so a taken lock shown here is stale:"
                    + " left by a process that died in an older version, or by another Liquibase tool."},
            footer = {"", "Exit codes: 0 free, 1 taken (stale, or by a live schema change), 2 an unusable store."})
    static final class Lock extends OnSchema {
        @Override
        int run(SchemaManaged schema) {
            Optional<String> lock = schema.schemaLock();
            spec.commandLine().getOut().println(lock.map(SchemaCommand::staleLock).orElse("schema lock: free"));
            return lock.isPresent() ? EventlogCommand.DATA : EventlogCommand.OK;
        }
    }

    /** {@code eventlog schema partition [--interval month] STORE}. */
    @Command(name = "partition", mixinStandardHelpOptions = true,
            description = {"Turns the plain tables of a PostgreSQL store into tables partitioned by time, keeping every"
                    + " row once (README, 'PostgreSQL at scale'). The rows are copied in committed batches while"
                    + " writers go on appending; each table is then swapped for its copy in one short transaction"
                    + " after checking that both hold as many rows. A run that is stopped or killed is resumed by"
                    + " running it again. Tables already partitioned are left as they are."},
            footer = {"", "Exit codes: 0 partitioned (or already), 2 an unusable store, another interval than the"
                    + " store's, or a copy that did not match its table (that table is left unchanged)."})
    static final class Partition implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--interval", paramLabel = "day|week|month", defaultValue = "month",
                description = "The span of one partition (default: ${DEFAULT-VALUE}).")
        String interval;

        @Parameters(paramLabel = "STORE", description = "jdbc:postgresql://...; it must exist.")
        String store;

        @Override
        public Integer call() {
            try (EventStore opened = open(store)) {
                List<String> done = MaintainCommand.partitionsOf(opened).partition(interval);
                PrintWriter out = spec.commandLine().getOut();
                done.forEach(out::println);
                out.println(done.isEmpty() ? "partitions: every table was already partitioned"
                        : "partitions: " + done.size() + " table(s) partitioned by " + interval);
                out.flush();
                return EventlogCommand.OK;
            }
        }
    }

    /** {@code eventlog schema partman STORE}: hands a partitioned store's partitions to pg_partman. */
    @Command(name = "partman", mixinStandardHelpOptions = true,
            description = {"Hands the time partitions of a partitioned PostgreSQL store to pg_partman 4, installed in"
                    + " its database (README, 'pg_partman'): each table's partitions are renamed as pg_partman names"
                    + " them (TABLE_pYYYY_MM, same bounds) and the table is registered with create_parent (native, on"
                    + " ts, the store's interval). From then on the store and 'eventlog maintain' leave those tables"
                    + " to pg_partman's run_maintenance(). Running it again registers only what is left."},
            footer = {"", "Exit codes: 0 registered (or already), 2 an unusable store, a store that is not partitioned,"
                    + " or pg_partman not installed in the database (or not version 4)."})
    static final class Partman implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "STORE", description = "jdbc:postgresql://...; it must exist and be partitioned.")
        String store;

        @Override
        public Integer call() {
            try (EventStore opened = open(store)) {
                List<String> done = MaintainCommand.partitionsOf(opened).registerWithPartman();
                PrintWriter out = spec.commandLine().getOut();
                done.forEach(out::println);
                out.println(done.isEmpty() ? "pg_partman: every table was already registered"
                        : "pg_partman: " + done.size() + " table(s) registered; run its run_maintenance() from now on");
                out.flush();
                return EventlogCommand.OK;
            }
        }
    }

    /** {@code eventlog schema unlock STORE}. */
    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = {"Clears a stale schema lock (see 'eventlog schema lock'); a free lock is left as it is.",
                "On PostgreSQL it first waits for a live eventlog process that is changing the schema."},
            footer = {"", "Exit codes: 0 cleared or free, 2 an unusable store."})
    static final class Unlock extends OnSchema {
        @Override
        int run(SchemaManaged schema) {
            Optional<String> cleared = schema.clearSchemaLock();
            spec.commandLine().getOut().println(cleared.map(holder -> "cleared the stale schema lock taken by "
                    + holder).orElse("schema lock: free; nothing to clear"));
            return EventlogCommand.OK;
        }
    }
}
