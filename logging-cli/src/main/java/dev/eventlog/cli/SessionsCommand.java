package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.analytics.SessionReport;
import dev.eventlog.spi.EventStore;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog sessions}: the sessions of a store, their workflows, agents and quality. */
@Command(name = "sessions", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the sessions of a store (the events that share one session id), latest first, with "
            + "their tool calls, outcome, workflow and success score; then the workflow patterns, the agents of the "
            + "coordinator events and the quality of the scores. SQL stores answer from their session views; a JSONL "
            + "store is read."},
        footer = {"", "A session is in the range when its last event is; agents count the coordinator events in the "
            + "range. --top limits the list only: workflows, agents and quality cover every session in the range.", "",
            "Exit codes: 0 success, 2 bad usage or an unusable store."})
final class SessionsCommand implements Callable<Integer> {
    /** How many sessions are listed unless told. */
    static final int DEFAULT_TOP = 20;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store to read; it must exist.")
    String store;

    @Option(names = "--since", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only sessions whose last event is at or after TIME: epoch seconds, epoch milliseconds or "
                + "ISO-8601.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only sessions whose last event is before TIME.")
    Instant until;

    @ArgGroup(exclusive = true)
    Limit limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (tables, the default) or json.")
    StatsCommand.Format format;

    /** --top N or --all. */
    static final class Limit {
        @Option(names = "--top", paramLabel = "N", description = "List the N latest sessions (default "
                + DEFAULT_TOP + ").")
        Integer top;

        @Option(names = "--all", description = "List every session.")
        boolean all;
    }

    @Override
    public Integer call() {
        int top = limit == null ? DEFAULT_TOP : limit.all ? 0 : limit.top;
        if (limit != null && !limit.all && top < 1) {
            throw new ConfigurationException("--top was '" + top + "' but it must be at least 1 (or use --all)");
        }
        SessionReport report;
        String description;
        try (EventStore opened = Stores.openToRead("STORE", store)) {
            description = opened.describe();
            report = SessionAnalytics.of(opened).report(since, until, top);
        }
        if (format == StatsCommand.Format.json) {
            spec.commandLine().getOut().println(report.toJson());
        } else {
            spec.commandLine().getOut().print(SessionsText.render(report, description, since, until,
                    report.quality().sessions()));
        }
        spec.commandLine().getOut().flush();
        return EventlogCommand.OK;
    }
}
