package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.migrate.Importer;
import dev.eventlog.migrate.MigrationException;
import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.migrate.TableImporter;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code eventlog import}: legacy or current JSONL files, or the tables of a database older scripts
 * wrote, into any store.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Imports legacy or current JSONL files into a store by the import rules (README, \"Migrating from JSONL\").",
            "A file's kind comes from its name (git-activity.jsonl, self-heal-outcomes.jsonl, ...) unless --kind "
                + "is given; a directory stands for the files in it with known names. Rejected lines go to the "
                + "quarantine file and the import goes on. Running it again adds nothing; a file that grew since "
                + "is read from where the last run stopped, once the bytes already read and the target's last "
                + "event from the file are found unchanged (else the file is read again from the start). Pipes "
                + "and devices (a FIFO, /dev/stdin from a pipe) are refused: save the stream to a file first.",
            "A gzip file (known by its first bytes) is read through: its kind comes from its name without .gz, or "
                + "else from each line's kind key (an 'eventlog retention --archive-file' archive). It cannot be "
                + "entered half-way: a re-run skips it while unchanged and otherwise reads it again from the start, "
                + "skipping the events already present.",
            "An input sqlite:OLD.db or jdbc:postgresql://... is a database older scripts wrote: each row of its "
                + "tables is read as a JSON line (column -> key) by the same rules; a table's kind comes from its "
                + "name (routing_metrics_events, tool_usage, actions, ...) or --table. The database is only read."},
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
            description = "Your own key aliases, a JSON object per kind: {\"git\": {\"project\": \"repo\"}}; "
                    + "a field may be ts, id, session_id or source, and \"*\" holds those for every kind: "
                    + "{\"*\": {\"created_at\": \"ts\"}}.")
    Path map;

    @Option(names = "--table", paramLabel = "TABLE=KIND",
            description = "With a database input: read TABLE's rows as KIND, whatever its name; repeat for several "
                    + "tables. Tables with no kind by their name and none given are skipped, with a note.")
    List<String> tables;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "" + JsonlReader.DEFAULT_MAX_LINE_BYTES,
            description = "Longer lines are rejected without being held in memory (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Mixin
    ReportOptions report;

    @Parameters(paramLabel = "FILE_OR_DIR|DATABASE", arity = "1..*",
            description = "JSONL files or directories of them; or one database: sqlite:PATH, jdbc:postgresql://...")
    List<String> inputs;

    @Override
    public Integer call() {
        KeyAliases aliases = map == null ? KeyAliases.builtIn() : AliasMapFile.read(map);
        if (inputs.stream().anyMatch(ForeignDatabase::isDatabase)) {
            return importDatabase(aliases);
        }
        if (tables != null) {
            throw new ConfigurationException("--table was given but the inputs are files: it names tables of a "
                    + "database input (sqlite:PATH, jdbc:postgresql://...)");
        }
        // Inputs are checked before the store is opened, so a typo never creates an empty database.
        Importer.Builder builder = Importer.builder().inputs(inputs.stream().map(Path::of).toList()).kind(kind).aliases(aliases).quarantine(quarantine)
                .progressFile(progressFile).stateDirectory(stateDir).batchSize(report.batchSize)
                .maxLineBytes(maxLineBytes).checkContent(!report.noCheck);
        try {
            builder.checkInputs();
        } catch (ConfigurationException e) {
            throw new ConfigurationException(e.problems().stream().map(ImportCommand::optionNames).toList());
        }
        MigrationReport result = report.run(spec, progress -> {
            try (EventStore store = Stores.openToWrite(to)) {
                return builder.target(store).listener(progress).build().run();
            }
        });
        return report.print(spec, result, "line");
    }

    /** Imports the tables of the one database input; it is opened read-only and checked before the target is opened. */
    private int importDatabase(KeyAliases aliases) {
        if (inputs.size() > 1) {
            throw new ConfigurationException("inputs were " + inputs.stream().map(EventStores::redact).toList()
                    + " but a database must be the only input: import it and the files in two runs");
        }
        if (kind != null || progressFile != null) {
            throw new ConfigurationException((kind != null ? "--kind" : "--progress-file") + " was given but the input "
                    + "is a database: give a table's kind with --table TABLE=KIND; tables are read whole on every run");
        }
        ForeignDatabase database = ForeignDatabase.of(inputs.get(0));
        database.checkNotTarget("--to", to);
        MigrationReport result;
        try (Connection connection = database.open()) {
            TableImporter.Builder builder = TableImporter.builder().source(connection, database.description())
                    .aliases(aliases).quarantine(quarantine).stateDirectory(stateDir).batchSize(report.batchSize)
                    .checkContent(!report.noCheck);
            tableKinds().forEach(builder::table);
            try {
                builder.checkSource();
            } catch (ConfigurationException e) {
                throw new ConfigurationException(e.problems().stream().map(ImportCommand::optionNames).toList());
            }
            result = report.run(spec, progress -> {
                try (EventStore store = Stores.openToWrite(to)) {
                    return builder.target(store).listener(progress).build().run();
                }
            });
        } catch (SQLException e) {
            throw new MigrationException("cannot close " + database.description() + ": " + e.getMessage(), e);
        }
        return report.print(spec, result, "row");
    }

    /** The {@code --table TABLE=KIND} options, in order. */
    private Map<String, EventKind> tableKinds() {
        Map<String, EventKind> kinds = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String pair : tables == null ? List.<String>of() : tables) {
            int eq = pair.lastIndexOf('=');
            EventKind named = eq < 0 ? null : EventKind.fromKey(pair.substring(eq + 1).strip()).orElse(null);
            if (eq <= 0 || named == null) {
                problems.add("--table was '" + pair + "' but it must be TABLE=KIND, KIND one of " + Converters.kindKeys());
            } else {
                kinds.put(pair.substring(0, eq).strip(), named);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return kinds;
    }

    /** The library's setting names in a problem, as this command's options. */
    private static String optionNames(String problem) {
        return problem.replaceFirst("^quarantine was ", "--quarantine was ")
                .replaceFirst("^progressFile was ", "--progress-file was ")
                .replaceFirst("^stateDirectory was ", "--state-dir was ")
                .replaceFirst("^table was ", "--table was ")
                .replaceFirst("^source was ", "input was ");
    }
}
