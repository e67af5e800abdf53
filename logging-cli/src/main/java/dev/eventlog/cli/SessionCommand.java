package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.analytics.SessionSummary;
import dev.eventlog.spi.EventStore;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog session}: the summary of one session. */
@Command(name = "session", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the summary of one session: its first and last event, events, tool calls and "
            + "failures, tool success rate, distinct tools, last outcome, workflow and success score."},
        footer = {"", "Exit codes: 0 success, 2 bad usage, an unusable store, or no event carries the session id."})
final class SessionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store to read; it must exist.")
    String store;

    @Parameters(index = "1", paramLabel = "ID", description = "The session id.")
    String id;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table, the default) or json (one object, as in 'eventlog sessions').")
    StatsCommand.Format format;

    @Override
    public Integer call() {
        Optional<SessionSummary> summary;
        String description;
        try (EventStore opened = Stores.openToRead("STORE", store)) {
            description = opened.describe();
            summary = SessionAnalytics.of(opened).session(id);
        }
        if (summary.isEmpty()) {
            throw new ConfigurationException("ID was '" + id + "' but no event of " + description
                    + " carries that session id (see 'eventlog sessions " + "STORE --all')");
        }
        if (format == StatsCommand.Format.json) {
            spec.commandLine().getOut().println(summary.get().toJson());
        } else {
            spec.commandLine().getOut().print(SessionsText.render(summary.get()));
        }
        spec.commandLine().getOut().flush();
        return EventlogCommand.OK;
    }
}
