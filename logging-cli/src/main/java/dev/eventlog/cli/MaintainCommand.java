package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.TimePartitioned;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog maintain STORE}: the time partitions of a partitioned PostgreSQL store. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = {"Creates the time partitions of a partitioned PostgreSQL store for the current interval and"
                + " the next 3, and moves the rows its default partitions took (events whose interval had no"
                + " partition) into partitions of their own. Safe to run at any time, e.g. daily from cron;"
                + " writers keep appending meanwhile. Tables registered with pg_partman (see 'eventlog schema"
                + " partman') are left to it, and it says so."},
        footer = {"", "Exit codes: 0 done (or nothing to do), 2 an unusable store or one that is not partitioned."})
final class MaintainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "STORE", description = "jdbc:postgresql://...; it must exist and be partitioned.")
    String store;

    @Override
    public Integer call() {
        try (EventStore opened = SchemaCommand.open(store)) {
            List<String> done = partitionsOf(opened).maintainPartitions();
            PrintWriter out = spec.commandLine().getOut();
            done.forEach(out::println);
            List<String> partman = partitionsOf(opened).partmanTables();
            if (!partman.isEmpty()) {
                out.println("pg_partman manages " + String.join(", ", partman) + ": their partitions are left to its"
                        + " run_maintenance()");
            }
            out.println(done.isEmpty() ? "partitions: up to date" : "partitions: " + done.size() + " change(s)");
            out.flush();
            return EventlogCommand.OK;
        }
    }

    /** The time partitions of {@code store}, through {@link EventStore#capability}: PostgreSQL stores only. */
    static TimePartitioned partitionsOf(EventStore store) {
        return store.capability(TimePartitioned.class).orElseThrow(() -> new ConfigurationException("STORE was '"
                + store.describe() + "' but it must be a PostgreSQL store: only it has time partitions"));
    }
}
