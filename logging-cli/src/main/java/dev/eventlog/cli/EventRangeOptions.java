package dev.eventlog.cli;

import dev.eventlog.EventKind;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import picocli.CommandLine.Option;

/** The events a command reads from a store: some kinds, a time range (every event by default). */
final class EventRangeOptions {
    @Option(names = "--kind", paramLabel = "KIND", converter = Converters.Kind.class,
            description = "Only this kind; repeat for several (default: every kind).")
    List<EventKind> kinds;

    @Option(names = "--since", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only events at or after TIME: epoch seconds, epoch milliseconds or ISO-8601.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only events before TIME.")
    Instant until;

    /** The kinds given, or {@code null} for every kind. */
    EnumSet<EventKind> kindSet() {
        return kinds == null ? null : EnumSet.copyOf(kinds);
    }
}
