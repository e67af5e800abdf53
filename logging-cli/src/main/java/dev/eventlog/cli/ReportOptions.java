package dev.eventlog.cli;

import dev.eventlog.migrate.Importer;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.MigrationReport;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Options every moving command shares: batch size, content check, JSON report, progress bar; and
 * the run and report of a move as they ask.
 */
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

    /**
     * Runs {@code move} with the progress bar these options ask for on the standard error of
     * {@code spec}'s command, the bar cleared after it whatever happens.
     */
    MigrationReport run(CommandSpec spec, Function<MigrationListener, MigrationReport> move) {
        MigrationListener listener = ProgressBar.forTerminal(spec.commandLine().getErr(), !noProgress, progress);
        try {
            return move.apply(listener);
        } finally {
            ProgressBar.finish(listener);
        }
    }

    /**
     * Prints {@code result} on the standard output of {@code spec}'s command, as a table or as JSON,
     * and returns the command's exit code (saying why on its standard error when it is 1).
     *
     * @param unit what a rejected input is called: {@code line} for files, {@code row} for tables
     */
    int print(CommandSpec spec, MigrationReport result, String unit) {
        Reports.print(result, unit, spec.commandLine().getOut(), json);
        return Reports.exitCode(result, spec.qualifiedName(), unit, spec.commandLine().getErr());
    }
}
