package dev.eventlog.cli;

import dev.eventlog.EventKind;
import dev.eventlog.migrate.DualReadValidator;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.VerifyReport;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog verify}: dual-read validation of two stores. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares two stores kind by kind: counts and an order-independent digest of every field "
            + "of every event. Where they differ, lists the first ids only one side holds and those both hold "
            + "differently. This is the dual-read validation of the migration workflow."},
        footer = {"", "Exit codes: 0 identical, 1 the stores differ, 2 bad usage or an unusable store."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The first store; it must exist.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The second store; it must exist.")
    String target;

    @Option(names = "--kind", paramLabel = "KIND", converter = Converters.Kind.class,
            description = "Only this kind; repeat for several (default: every kind).")
    List<EventKind> kinds;

    @Mixin
    TimeRangeOptions range;

    @Option(names = "--json", description = "Print the report as one JSON object instead of a table.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar, even on a terminal.")
    boolean noProgress;

    @Option(names = "--progress", description = "Print the progress even when stderr is not a terminal: a line a "
            + "second, e.g. into a log file.")
    boolean forceProgress;

    @Override
    public Integer call() {
        MigrationListener progress = ProgressBar.forTerminal(spec.commandLine().getErr(), !noProgress, forceProgress);
        VerifyReport report;
        try (EventStore first = Stores.openToRead("SOURCE", source);
                EventStore second = Stores.openToRead("TARGET", target)) {
            EventQuery query = new EventQuery(kinds == null ? null : EnumSet.copyOf(kinds), range.since, range.until);
            report = DualReadValidator.compare(first, second, query, progress);
        } finally {
            ProgressBar.finish(progress);
        }
        Reports.print(report, spec.commandLine().getOut(), json);
        return Reports.exitCode(report, spec.qualifiedName(), spec.commandLine().getErr());
    }
}
