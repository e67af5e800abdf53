package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.migrate.Importer;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.spi.EventStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code eventlog import}: legacy or current JSONL files into any store. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Imports legacy or current JSONL files into a store by the import rules (README, \"Migrating from JSONL\").",
            "A file's kind comes from its name (git-activity.jsonl, self-heal-outcomes.jsonl, ...) unless --kind "
                + "is given; a directory stands for the files in it with known names. Rejected lines go to the "
                + "quarantine file and the import goes on. Running it again adds nothing; a file that grew since "
                + "is read from where the last run stopped, once the bytes already read and the target's last "
                + "event from the file are found unchanged (else the file is read again from the start). Pipes "
                + "and devices (a FIFO, /dev/stdin from a pipe) are refused: save the stream to a file first."},
        footer = {"", "Exit codes: 0 imported and checked, 1 lines were rejected or the content check failed, "
            + "2 bad usage or an unusable input."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "STORE",
            description = "The store to import into: sqlite:PATH, jdbc:postgresql://..., jsonl:DIR.")
    String to;

    @Option(names = "--kind", paramLabel = "KIND", converter = Converters.Kind.class,
            description = "Read every file as this kind, whatever its name (a directory then stands for all its "
                    + "*.jsonl files): git, self_heal, recovery, routing_metric, session_outcome, tool_use, "
                    + "activity, coordinator, expertise_routing, custom.")
    EventKind kind;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the progress and quarantine files go unless named (default: "
                    + "$XDG_STATE_HOME/eventlog/import/NAME-HASH, or ~/.local/state/eventlog/import/NAME-HASH, one per "
                    + "set of inputs and target). Never inside an input folder.")
    Path stateDir;

    @Option(names = "--quarantine", paramLabel = "FILE",
            description = "Where rejected lines go, with file, line number, reason and text, appended "
                    + "(default: " + Importer.DEFAULT_QUARANTINE + " in the state directory). Never an input, "
                    + "never inside an input folder, never a directory, FIFO or device.")
    Path quarantine;

    @Option(names = "--progress-file", paramLabel = "FILE",
            description = "Where per-file progress is kept for incremental re-runs, replaced atomically "
                    + "(default: " + Importer.DEFAULT_PROGRESS + " in the state directory). Same rules as --quarantine.")
    Path progressFile;

    @Option(names = "--map", paramLabel = "FILE",
            description = "Your own key aliases, a JSON object per kind: {\"git\": {\"project\": \"repo\"}}.")
    Path map;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "" + JsonlReader.DEFAULT_MAX_LINE_BYTES,
            description = "Longer lines are rejected without being held in memory (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Mixin
    ReportOptions report;

    @Parameters(paramLabel = "FILE_OR_DIR", arity = "1..*", description = "JSONL files or directories of them.")
    List<Path> inputs;

    @Override
    public Integer call() {
        KeyAliases aliases = map == null ? KeyAliases.builtIn() : AliasMapFile.read(map);
        // Inputs are checked before the store is opened, so a typo never creates an empty database.
        Importer.Builder builder = Importer.builder().inputs(inputs).kind(kind).aliases(aliases).quarantine(quarantine)
                .progressFile(progressFile).stateDirectory(stateDir).batchSize(report.batchSize)
                .maxLineBytes(maxLineBytes).checkContent(!report.noCheck);
        try {
            builder.checkInputs();
        } catch (ConfigurationException e) {
            throw new ConfigurationException(e.problems().stream().map(ImportCommand::optionNames).toList());
        }
        MigrationListener progress = ProgressBar.forTerminal(spec.commandLine().getErr(), !report.noProgress,
                report.progress);
        MigrationReport result;
        try (EventStore store = Stores.openToWrite(to)) {
            result = builder.target(store).listener(progress).build().run();
        } finally {
            ProgressBar.finish(progress);
        }
        Reports.print(result, spec.commandLine().getOut(), report.json);
        return Reports.exitCode(result, spec.qualifiedName(), spec.commandLine().getErr());
    }

    /** The library's setting names in a problem, as this command's options. */
    private static String optionNames(String problem) {
        return problem.replaceFirst("^quarantine was ", "--quarantine was ")
                .replaceFirst("^progressFile was ", "--progress-file was ")
                .replaceFirst("^stateDirectory was ", "--state-dir was ");
    }
}
