package dev.eventlog.cli;

import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.migrate.Reconciler;
import dev.eventlog.spi.EventStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eventlog reconcile}: replays a JSONL backup's missing events into a store. */
@Command(name = "reconcile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replays the events of a JSONL backup that a store is missing (after an outage or a crash), "
            + "exactly once: events the store already holds are skipped by id."},
        footer = {"", "Exit codes: 0 replayed and checked, 1 backup lines were unreadable (e.g. a line torn by a "
            + "crash) or the content check failed, 2 bad usage or an unusable store."})
final class ReconcileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--backup", required = true, paramLabel = "jsonl:DIR",
            description = "The backup directory, one JSONL file per kind.")
    String backup;

    @Option(names = "--to", required = true, paramLabel = "STORE", description = "The store to replay into.")
    String to;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        Path directory = Stores.jsonlDirectory("--backup", backup);
        Reconciler.Builder builder = Reconciler.builder().backup(directory).batchSize(report.batchSize)
                .checkContent(!report.noCheck).checkInputs();
        MigrationReport result = report.run(spec, progress -> {
            try (EventStore store = Stores.openToWrite(to)) {
                return builder.target(store).listener(progress).build().run();
            }
        });
        return report.print(spec, result, "line");
    }
}
