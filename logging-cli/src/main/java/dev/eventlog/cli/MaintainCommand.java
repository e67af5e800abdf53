package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.analytics.NativeAnalytics;
import dev.eventlog.analytics.NativeSessionAnalytics;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.TimePartitioned;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eventlog maintain STORE}: the time partitions of a partitioned PostgreSQL store, and the
 * session summary and the per-day analytics summaries of a SQLite or PostgreSQL store.
 */
@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = {"Brings the session summary and the per-day analytics summaries of a SQLite or PostgreSQL"
                + " store up to date (the sessions and the UTC days appended to or removed from since the last"
                + " question are recomputed from their events, as the next question would do first). For a partitioned PostgreSQL store it also"
                + " creates the time partitions for the current interval and the next 3, and moves the rows its"
                + " default partitions took (events whose interval had no partition) into partitions of their own."
                + " Tables registered with pg_partman (see 'eventlog schema partman') are left to it, and it says so."
                + " Safe to run at any time, e.g. daily from cron; writers keep appending meanwhile."},
        footer = {"", "Exit codes: 0 done (or nothing to do), 2 an unusable store or one that is neither SQLite nor"
                + " PostgreSQL."})
final class MaintainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "STORE", description = "sqlite:PATH or jdbc:postgresql://...; it must exist.")
    String store;

    @Override
    public Integer call() {
        // Opened to read: the schema is brought up to date, so the session summary's tables exist.
        try (EventStore opened = Stores.openToRead("STORE", store)) {
            Optional<TimePartitioned> partitions = opened.capability(TimePartitioned.class);
            Optional<NativeSessionAnalytics> sessions = opened.capability(NativeSessionAnalytics.class);
            if (partitions.isEmpty() && sessions.isEmpty()) {
                throw new ConfigurationException("STORE was '" + opened.describe() + "' but it must be a SQLite or"
                        + " PostgreSQL store: only they keep time partitions or a session summary");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (partitions.isPresent() && partitions.get().partitionInterval().isPresent()) {
                List<String> done = partitions.get().maintainPartitions();
                done.forEach(out::println);
                List<String> partman = partitions.get().partmanTables();
                if (!partman.isEmpty()) {
                    out.println("pg_partman manages " + String.join(", ", partman) + ": their partitions are left to"
                            + " its run_maintenance()");
                }
                out.println(done.isEmpty() ? "partitions: up to date" : "partitions: " + done.size() + " change(s)");
            } else if (partitions.isPresent()) {
                out.println("partitions: none (the store is not partitioned: 'eventlog schema partition STORE')");
            }
            if (sessions.isPresent()) {
                int recomputed = sessions.get().sessionAnalytics().refresh();
                out.println("sessions: " + (recomputed == 0 ? "summary up to date"
                        : "summary brought up to date (" + recomputed + " session(s) recomputed)"));
            }
            Optional<NativeAnalytics> analytics = opened.capability(NativeAnalytics.class);
            if (analytics.isPresent()) {
                int days = analytics.get().refreshSummaries();
                out.println("analytics: " + (days == 0 ? "day summaries up to date"
                        : "day summaries brought up to date (" + days + " day(s) recomputed)"));
            }
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
