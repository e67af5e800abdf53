package dev.eventlog.cli;

import java.time.Instant;
import picocli.CommandLine.Option;

/** The time range of the events a command reads from a store (every event by default). */
final class TimeRangeOptions {
    @Option(names = "--since", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only events at or after TIME: epoch seconds, epoch milliseconds or ISO-8601.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only events before TIME.")
    Instant until;
}
