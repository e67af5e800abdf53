package dev.eventlog.cli;

import dev.eventlog.migrate.Importer;
import picocli.CommandLine.Option;

/** Options every moving command shares: batch size, content check, JSON report, progress bar. */
final class ReportOptions {
    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Importer.DEFAULT_BATCH_SIZE,
            description = "Events per append; each batch is stored all or nothing (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--no-check", negatable = false,
            description = "Skip reading every event back at the end to compare it with what was sent.")
    boolean noCheck;

    @Option(names = "--json", description = "Print the report as one JSON object instead of a table.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar, even on a terminal.")
    boolean noProgress;

    @Option(names = "--progress", description = "Print the progress (rate and time left) even when stderr is not a "
            + "terminal: a line a second, e.g. into a log file.")
    boolean progress;
}
