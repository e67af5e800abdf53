package dev.eventlog.cli;

import dev.eventlog.EventKind;
import dev.eventlog.migrate.Copier;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.spi.EventStore;
import java.time.Instant;
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

    @Option(names = "--since", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only events at or after TIME: epoch seconds, epoch milliseconds or ISO-8601.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Converters.Time.class,
            description = "Only events before TIME.")
    Instant until;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        MigrationListener progress = ProgressBar.forTerminal(spec.commandLine().getErr(), !report.noProgress,
                report.progress);
        MigrationReport result;
        try (EventStore source = Stores.openToRead("--from", from);
                EventStore target = Stores.openToWrite(to)) {
            result = Copier.builder().source(source).target(target)
                    .kinds(kinds == null ? null : EnumSet.copyOf(kinds)).since(since).until(until)
                    .batchSize(report.batchSize).checkContent(!report.noCheck).listener(progress).build().run();
        } finally {
            ProgressBar.finish(progress);
        }
        Reports.print(result, spec.commandLine().getOut(), report.json);
        return Reports.exitCode(result, spec.qualifiedName(), spec.commandLine().getErr());
    }
}
