package dev.eventlog.cli;

import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.cli.report.HtmlReport;
import dev.eventlog.spi.EventStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog report}: the analytics of one store as a self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the analytics of a store as one self-contained HTML file (no network needed to "
            + "open it): overview, activity per day, tool analytics, routing, session outcomes and infrastructure "
            + "(self-heal and recovery), with charts and the numbers in tables."},
        footer = {"", "Exit codes: 0 success, 2 bad usage, an unusable store or an unwritable file."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store to report on; it must exist.")
    String store;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "The HTML file to write (replaced whole if it exists).")
    Path out;

    @Option(names = "--since", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only events at or after TIME: epoch seconds, epoch milliseconds or ISO-8601.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only events before TIME.")
    Instant until;

    @Override
    public Integer call() {
        Analytics analytics;
        String description;
        try (EventStore opened = Stores.openToRead("STORE", store)) {
            description = opened.describe();
            analytics = EventAnalytics.of(opened).compute(since, until);
        }
        HtmlReport.write(analytics, description, out);
        spec.commandLine().getOut().println("wrote " + out.toAbsolutePath() + " (" + analytics.total() + " events)");
        return EventlogCommand.OK;
    }
}
