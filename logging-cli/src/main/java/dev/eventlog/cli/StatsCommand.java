package dev.eventlog.cli;

import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.spi.EventStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog stats}: the analytics of one store, as a table or as JSON. */
@Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the analytics of a store over a time range: events per kind and per day, routing "
            + "accuracy and model distribution, self-heal and recovery success, session outcomes, tool success and "
            + "duration percentiles, git commits per repository. SQL stores answer from their analytics views; a "
            + "JSONL store is read once."},
        footer = {"", "A rate is the share of events whose flag is true over all events of the group (a missing flag "
            + "is not true); percentiles are nearest-rank.", "",
            "Exit codes: 0 success, 2 bad usage or an unusable store."})
final class StatsCommand implements Callable<Integer> {
    /** How the figures are printed. */
    enum Format {
        /** A readable table. */
        text,
        /** One JSON object; its keys are a contract. */
        json
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store to analyse; it must exist.")
    String store;

    @Mixin
    TimeRangeOptions range;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table, the default) or json.")
    Format format;

    @Override
    public Integer call() {
        Analytics analytics;
        String description;
        try (EventStore opened = Stores.openToRead("STORE", store)) {
            description = opened.describe();
            analytics = EventAnalytics.of(opened).compute(range.since, range.until);
        }
        if (format == Format.json) {
            spec.commandLine().getOut().println(analytics.toJson());
        } else {
            spec.commandLine().getOut().print(AnalyticsText.render(analytics, description));
        }
        spec.commandLine().getOut().flush();
        return EventlogCommand.OK;
    }
}
