package dev.eventlog.cli;

import dev.eventlog.EventKind;
import dev.eventlog.migrate.Copier;
import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.spi.EventStore;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eventlog copy}: any store to any store. */
@Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copies events from one store to another (SQLite to PostgreSQL when several machines must "
            + "share one log), in batches. Running it again after a failure appends what is missing and adds no "
            + "duplicates. Every event copied is checked against the target at the end."},
        footer = {"", "Exit codes: 0 copied and checked, 1 the content check failed or source lines were "
            + "unreadable, 2 bad usage or an unusable store."})
final class CopyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "STORE", description = "The store to read; it must exist.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "STORE", description = "The store to append to.")
    String to;

    @Option(names = "--kind", paramLabel = "KIND", converter = Converters.Kind.class,
            description = "Only this kind; repeat for several (default: every kind).")
    List<EventKind> kinds;

    @Mixin
    TimeRangeOptions range;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        MigrationReport result = report.run(spec, progress -> {
            try (EventStore source = Stores.openToRead("--from", from);
                    EventStore target = Stores.openToWrite(to)) {
                return Copier.builder().source(source).target(target).kinds(kinds == null ? null : EnumSet.copyOf(kinds)).since(range.since)
                        .until(range.until).batchSize(report.batchSize).checkContent(!report.noCheck)
                        .listener(progress).build().run();
            }
        });
        return report.print(spec, result, "line");
    }
}
