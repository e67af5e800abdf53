package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import dev.eventlog.migrate.MigrationException;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.Retention;
import dev.eventlog.migrate.RetentionReport;
import dev.eventlog.spi.EventStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog retention STORE --older-than AGE --archive jsonl:DIR}: archive, then drop (README, "Retention"). */
@Command(name = "retention", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Removes the events older than an age, after archiving them: the events before the cut are"
                + " written as JSONL to the archive directory (a temporary file, forced to disk, read back and"
                + " compared with the store by count and content digest, then renamed), and only then removed from"
                + " the store. PostgreSQL drops whole time partitions older than the cut and deletes the rest in"
                + " batches; SQLite deletes in batches; JSONL rewrites the kind's file in one step. A run that is"
                + " killed loses nothing: run it again to finish. 'eventlog import --to STORE DIR' takes an archive"
                + " back.",
            "--archive-file FILE.jsonl.gz archives every kind into one new gzip file of JSONL lines instead (written"
                + " under a temporary name, forced, read back and checked, then named; an existing file is never"
                + " overwritten); 'eventlog import --to STORE FILE.jsonl.gz' takes it back."},
        footer = {"", "Exit codes: 0 done, 1 an archive did not read back as the events to remove (nothing of that kind"
                + " was removed), 2 bad usage, an unusable store, an archive that cannot be written or an archive"
                + " file that exists already."})
final class RetentionCommand implements Callable<Integer> {
    private static final Pattern AGE = Pattern.compile("(\\d+)([dhw])");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "STORE", description = "The store to clean; it must exist.")
    String store;

    @Option(names = "--older-than", paramLabel = "AGE", required = true,
            description = "Remove events older than AGE: 180d, 12w, 36h or ISO-8601 (P180D). KIND=AGE sets one kind's"
                    + " age (repeatable); a plain AGE applies to every kind not given its own.")
    List<String> olderThan;

    @Option(names = "--kind", paramLabel = "KIND", converter = Converters.Kind.class,
            description = "Only this kind (repeatable); default every kind that has an age.")
    List<EventKind> kinds = new ArrayList<>();

    @Option(names = "--archive", paramLabel = "jsonl:DIR",
            description = "Where the archive is kept: one JSONL file per kind, named as the catalogue says, added to"
                    + " on each run.")
    String archive;

    @Option(names = "--archive-file", paramLabel = "FILE.jsonl.gz",
            description = "Archive every kind into this one gzip file of JSONL lines, which must not exist yet;"
                    + " 'eventlog import' reads it back.")
    Path archiveFile;

    @Option(names = "--no-archive", description = "Remove without archiving: the events are gone for good.")
    boolean noArchive;

    @Option(names = "--dry-run", description = "Count what would be archived and removed; change nothing.")
    boolean dryRun;

    @Option(names = "--no-progress", description = "No progress line, even on a terminal.")
    boolean noProgress;

    @Override
    public Integer call() {
        int given = (archive == null ? 0 : 1) + (archiveFile == null ? 0 : 1) + (noArchive ? 1 : 0);
        if (given == 0) {
            throw new ConfigurationException("--archive was not given; give --archive jsonl:DIR or --archive-file"
                    + " FILE.jsonl.gz, or --no-archive to remove events without keeping them");
        }
        if (given > 1) {
            throw new ConfigurationException("more than one of --archive, --archive-file and --no-archive was given;"
                    + " give one");
        }
        if (archiveFile != null && java.nio.file.Files.exists(archiveFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigurationException("--archive-file was '" + archiveFile + "' but it must not exist yet: an"
                    + " archive is never overwritten; give a new name");
        }
        Map<EventKind, Duration> ages = ages();
        Path directory = archive == null ? null : Stores.jsonlDirectory("--archive", archive);
        Retention.Plan plan = new Retention.Plan(ages, directory, noArchive, dryRun, Instant.now(), archiveFile);
        PrintWriter out = spec.commandLine().getOut();
        try (EventStore opened = Stores.openToRead("STORE", store)) {
            RetentionReport report;
            MigrationListener progress = progress();
            try {
                report = Retention.run(opened, plan, progress);
                ProgressBar.finish(progress);
            } catch (MigrationException e) {
                // A cause is a file that could not be written (exit 2); none is an archive that read back otherwise.
                if (e.getCause() != null) {
                    throw e;
                }
                spec.commandLine().getErr().println("eventlog retention: " + EventlogCommand.oneLine(e.getMessage()));
                return EventlogCommand.DATA;
            }
            print(report, out);
            return EventlogCommand.OK;
        }
    }

    private MigrationListener progress() {
        return ProgressBar.forTerminal(spec.commandLine().getErr(), !noProgress, false);
    }

    private static void print(RetentionReport report, PrintWriter out) {
        for (RetentionReport.KindRetention kind : report.kinds()) {
            StringBuilder line = new StringBuilder(kind.kind().key()).append(": ").append(kind.older())
                    .append(" event(s) before ").append(kind.cut());
            if (report.dryRun()) {
                line.append(kind.archive() == null ? ", would be removed" : ", would be archived to " + kind.archive()
                        + " and removed");
            } else {
                if (kind.archive() != null) {
                    line.append(", archived to ").append(kind.archive()).append(" (digest ")
                            .append(kind.digest(), 0, 16).append("…)");
                }
                line.append(", removed ").append(kind.removed());
                for (String change : kind.changes()) {
                    line.append("; ").append(change);
                }
            }
            out.println(line);
        }
        out.println((report.dryRun() ? "retention (dry run): nothing changed" : "retention: removed "
                + report.removed() + " event(s)"));
        out.flush();
    }

    /** The age of each kind to clean, from {@code --older-than} and {@code --kind}. */
    private Map<EventKind, Duration> ages() {
        Duration everyKind = null;
        Map<EventKind, Duration> own = new EnumMap<>(EventKind.class);
        for (String value : olderThan) {
            int equals = value.indexOf('=');
            if (equals < 0) {
                everyKind = age(value);
            } else {
                EventKind kind = new Converters.Kind().convert(value.substring(0, equals));
                own.put(kind, age(value.substring(equals + 1)));
            }
        }
        Map<EventKind, Duration> ages = new EnumMap<>(EventKind.class);
        for (EventKind kind : kinds.isEmpty() ? List.of(EventKind.values()) : kinds) {
            Duration age = own.getOrDefault(kind, everyKind);
            if (age != null) {
                ages.put(kind, age);
            } else if (!kinds.isEmpty()) {
                throw new ConfigurationException("--kind was '" + kind.key() + "' but --older-than gives it no age;"
                        + " add --older-than AGE or --older-than " + kind.key() + "=AGE");
            }
        }
        return ages;
    }

    private static Duration age(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = AGE.matcher(value);
        Duration age = null;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            age = switch (matcher.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "w" -> Duration.ofDays(7 * amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                age = Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                age = null;
            }
        }
        if (age == null || age.isZero() || age.isNegative()) {
            throw new ConfigurationException("--older-than was '" + text + "' but it must be a positive age such as"
                    + " 180d, 12w, 36h or P180D, or KIND=AGE");
        }
        return age;
    }
}
