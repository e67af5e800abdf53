package dev.eventlog.migrate;

import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.spi.EventStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Imports legacy or current JSONL files into any store by the import rules (README, "Migrating from JSONL"), in
 * batches, in bounded memory (one line and one batch at a time, plus about 12 bytes per distinct
 * line for stable derived ids and, while the content check is on, about 50 bytes per event).
 *
 * <p>A file's kind comes from its name ({@code git-activity.jsonl} …) unless one is forced;
 * a directory stands for the files in it with known names. Rejected lines go to a quarantine
 * file with their file, line number, reason and text, and the import goes on. Importing is
 * idempotent: events are appended by id, and lines without one get ids derived from their
 * content, so a second run adds nothing. A progress file remembers how far each file was read
 * into each target, so that a file that grew since is read from where the last run stopped.
 *
 * <p>A failure of the target stops the run with the batch that failed not stored and the
 * progress file pointing before it: a re-run completes the import without duplicates.
 *
 * <p>Built with {@link #builder()}; {@link #run()} may be called again (it then imports what was
 * appended since). Not thread-safe.
 */
public final class Importer {
    /** The quarantine file's name when none is given: beside the first input. */
    public static final String DEFAULT_QUARANTINE = "eventlog-quarantine.jsonl";
    /**
     * Events per append unless told otherwise, for imports, copies and reconciles alike: large
     * enough that PostgreSQL takes each batch in one COPY (5 000 took a million-line import into
     * PostgreSQL from 57 s to 34 s against 1 000), small enough to hold a few MB.
     */
    public static final int DEFAULT_BATCH_SIZE = 5000;
    /** The progress file's name when none is given: beside the quarantine file. */
    public static final String DEFAULT_PROGRESS = "eventlog-import-progress.json";

    private final EventStore target;
    private final List<ImportInputs.InputFile> files;
    private final KeyAliases aliases;
    private final Path quarantineFile;
    private final Path progressFile;
    private final int batchSize;
    private final int maxLineBytes;
    private final boolean checkContent;
    private final MigrationListener listener;

    private Importer(Builder builder, List<ImportInputs.InputFile> files, Path quarantineFile, Path progressFile) {
        this.target = builder.target;
        this.files = files;
        this.aliases = builder.aliases;
        this.quarantineFile = quarantineFile;
        this.progressFile = progressFile;
        this.batchSize = builder.batchSize;
        this.maxLineBytes = builder.maxLineBytes;
        this.checkContent = builder.checkContent;
        this.listener = builder.listener;
    }

    /** A builder; {@link Builder#target} and at least one input are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The files this importer reads, each with the kind its lines are read as, in import order. */
    public Map<Path, EventKind> files() {
        Map<Path, EventKind> map = new LinkedHashMap<>();
        files.forEach(f -> map.put(f.path(), f.kind()));
        return map;
    }

    /** Where rejected lines go. */
    public Path quarantineFile() {
        return quarantineFile;
    }

    /** Where per-file progress is kept. */
    public Path progressFile() {
        return progressFile;
    }

    /**
     * Imports every file from where the last run into the same target stopped.
     *
     * @throws StoreException when the target fails; batches stored before stay stored
     * @throws MigrationException when an input cannot be read or the quarantine or progress file
     *     cannot be written
     */
    public MigrationReport run() {
        String targetName = target.describe();
        ImportProgress progress = ImportProgress.load(progressFile);
        List<String> notes = new ArrayList<>();
        if (progress.problem() != null) {
            notes.add(progress.problem());
        }
        Map<EventKind, Tally> tallies = new EnumMap<>(EventKind.class);
        ContentChecker checker = checkContent ? new ContentChecker() : null;
        List<long[]> plan = plan(progress, targetName, notes);
        long total = 0;
        for (long[] range : plan) {
            total += range[1] < 0 ? 0 : range[1] - range[0];
        }
        listener.phase("importing", total);
        Run run = new Run(progress, targetName, checker);
        try (Quarantine quarantine = new Quarantine(quarantineFile)) {
            run.quarantine = quarantine;
            for (int i = 0; i < files.size(); i++) {
                long[] range = plan.get(i);
                if (range[1] >= 0) {
                    ImportInputs.InputFile file = files.get(i);
                    importFile(file, range[0], tallies.computeIfAbsent(file.kind(), k -> new Tally()), run);
                }
            }
            if (quarantine.count() > 0) {
                notes.add(quarantine.count() + " rejected line(s) written to " + quarantineFile);
            }
        }
        listener.progress(total);
        Map<String, Long> rows = Rows.perTable(target);
        ContentCheck check = checker == null ? ContentCheck.skipped() : checker.check(target, listener);
        Map<EventKind, KindTally> kinds = new EnumMap<>(EventKind.class);
        tallies.forEach((kind, tally) -> kinds.put(kind, tally.toRecord()));
        List<String> sources = new ArrayList<>();
        files.forEach(f -> sources.add(f.path().toString()));
        return new MigrationReport("import", String.join(", ", sources), targetName, kinds, rows, check,
                quarantineFile, notes);
    }

    /** For each file, {start offset, size}; a size of -1 means nothing to read. */
    private List<long[]> plan(ImportProgress progress, String targetName, List<String> notes) {
        List<long[]> plan = new ArrayList<>();
        for (ImportInputs.InputFile file : files) {
            long size;
            try {
                size = Files.size(file.path());
            } catch (IOException e) {
                throw new MigrationException("cannot read " + file.path() + ": " + e, e);
            }
            ImportProgress.Entry entry = progress.get(targetName, file.path(), file.kind());
            long start = 0;
            if (entry != null) {
                if (!ImportProgress.stillMatches(file.path(), entry)) {
                    notes.add(file.path() + " changed since the last import into " + targetName
                            + "; read again from the start (events already present are skipped)");
                } else if (size == entry.size()) {
                    notes.add(file.path() + " unchanged since the last import: nothing to read");
                    plan.add(new long[] {entry.resumeAt(), -1});
                    continue;
                } else {
                    start = entry.resumeAt();
                    notes.add(file.path() + " grew since the last import: read from byte " + start);
                }
            }
            plan.add(new long[] {start, size});
        }
        return plan;
    }

    private void importFile(ImportInputs.InputFile file, long start, Tally tally, Run run) {
        Path path = file.path();
        LineDecoder decoder = new LineDecoder(file.kind(), aliases);
        List<Event> batch = new ArrayList<>(batchSize);
        EventFingerprints fingerprints = run.checker == null ? null : new EventFingerprints();
        long resumeAt = start;
        try (JsonlReader reader = JsonlReader.open(path, decoder, maxLineBytes, start)) {
            for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                tally.read++;
                if (line.event() != null) {
                    batch.add(line.event());
                    if (fingerprints != null) {
                        run.checker.add(line.event(), fingerprints.of(line.event()));
                    }
                } else {
                    tally.rejected++;
                    run.quarantine.add(path, line.number(), file.kind(), line.rejection(), line.text());
                }
                // An unterminated last line may be completed by its writer: the next run reads it again.
                resumeAt = line.terminated() ? line.endOffset() : line.startOffset();
                if (batch.size() >= batchSize) {
                    flush(batch, tally);
                    run.quarantine.flush();
                    run.progress.record(run.targetName, path, file.kind(), resumeAt, resumeAt);
                    listener.progress(run.doneBefore + line.endOffset() - start);
                }
            }
            flush(batch, tally);
            run.quarantine.flush();
            run.progress.record(run.targetName, path, file.kind(), resumeAt, reader.position());
            run.doneBefore += reader.position() - start;
            listener.progress(run.doneBefore);
        } catch (IOException e) {
            throw new MigrationException("cannot read " + path + ": " + e, e);
        }
    }

    private void flush(List<Event> batch, Tally tally) {
        if (batch.isEmpty()) {
            return;
        }
        int added = target.append(batch);
        tally.imported += added;
        tally.alreadyPresent += batch.size() - added;
        batch.clear();
    }

    /** The state of one {@link #run()}. */
    private static final class Run {
        final ImportProgress progress;
        final String targetName;
        final ContentChecker checker;
        Quarantine quarantine;
        long doneBefore;

        Run(ImportProgress progress, String targetName, ContentChecker checker) {
            this.progress = progress;
            this.targetName = targetName;
            this.checker = checker;
        }
    }

    /** Mutable counts of one kind. */
    private static final class Tally {
        long read;
        long imported;
        long alreadyPresent;
        long rejected;

        KindTally toRecord() {
            return new KindTally(read, imported, alreadyPresent, rejected);
        }
    }

    /** Builds an {@link Importer}; not thread-safe. */
    public static final class Builder {
        private EventStore target;
        private final List<Path> inputs = new ArrayList<>();
        private EventKind kind;
        private KeyAliases aliases = KeyAliases.builtIn();
        private Path quarantine;
        private Path progress;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxLineBytes = JsonlReader.DEFAULT_MAX_LINE_BYTES;
        private boolean checkContent = true;
        private MigrationListener listener = MigrationListener.NONE;

        private Builder() {
        }

        /** The store to import into; required. The importer does not close it. */
        public Builder target(EventStore target) {
            this.target = target;
            return this;
        }

        /** Adds a JSONL file, or a directory whose files with known names are imported. */
        public Builder input(Path input) {
            inputs.add(Objects.requireNonNull(input, "input"));
            return this;
        }

        /** Adds several inputs, see {@link #input(Path)}. */
        public Builder inputs(List<Path> more) {
            more.forEach(this::input);
            return this;
        }

        /**
         * Reads every file as lines of {@code kind}, whatever its name; a directory then stands for
         * every {@code *.jsonl} file in it. {@code null} (the default) takes the kind from the name.
         */
        public Builder kind(EventKind kind) {
            this.kind = kind;
            return this;
        }

        /** The key aliases; default {@link KeyAliases#builtIn()}. */
        public Builder aliases(KeyAliases aliases) {
            this.aliases = Objects.requireNonNull(aliases, "aliases");
            return this;
        }

        /** Where rejected lines go; default {@value #DEFAULT_QUARANTINE} beside the first input. */
        public Builder quarantine(Path quarantine) {
            this.quarantine = quarantine;
            return this;
        }

        /** Where per-file progress is kept; default {@value #DEFAULT_PROGRESS} beside the quarantine file. */
        public Builder progressFile(Path progress) {
            this.progress = progress;
            return this;
        }

        /** Events per append; default {@value Importer#DEFAULT_BATCH_SIZE}. Each batch is stored all or nothing. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Lines longer than this are rejected without being held in memory; default 64 MiB. */
        public Builder maxLineBytes(int maxLineBytes) {
            this.maxLineBytes = maxLineBytes;
            return this;
        }

        /** Whether every event sent is read back and compared at the end; default true. */
        public Builder checkContent(boolean checkContent) {
            this.checkContent = checkContent;
            return this;
        }

        /** Hears progress; default none. */
        public Builder listener(MigrationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Checks every setting but the target, so that a tool can refuse unusable inputs before it
         * opens (and perhaps creates) the target store.
         *
         * @throws ConfigurationException listing every problem, as {@link #build()} does
         */
        public Builder checkInputs() {
            List<String> problems = new ArrayList<>();
            resolve(problems);
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return this;
        }

        /**
         * The importer, with every input resolved to files and kinds.
         *
         * @throws ConfigurationException listing every problem: no target, a missing or unreadable
         *     input, a directory holding no file with a known name, a file whose name is no kind's
         *     while no kind is forced, a batch size below 1, a line limit below 1 KiB
         */
        public Importer build() {
            List<String> problems = new ArrayList<>();
            if (target == null) {
                problems.add("target was 'null' but it must be a store to import into");
            }
            Importer importer = resolve(problems);
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return importer;
        }

        private Importer resolve(List<String> problems) {
            if (batchSize < 1) {
                problems.add("batchSize was '" + batchSize + "' but it must be at least 1");
            }
            if (maxLineBytes < 1024) {
                problems.add("maxLineBytes was '" + maxLineBytes + "' but it must be at least 1024");
            }
            Path quarantineFile = quarantine != null ? quarantine
                    : inputs.isEmpty() ? Path.of(DEFAULT_QUARANTINE) : ImportInputs.besideInput(inputs.get(0))
                            .resolve(DEFAULT_QUARANTINE);
            Path progressFile = progress != null ? progress
                    : quarantineFile.toAbsolutePath().resolveSibling(DEFAULT_PROGRESS);
            List<ImportInputs.InputFile> files = ImportInputs.resolve(inputs, kind,
                    List.of(quarantineFile, progressFile), problems);
            return new Importer(this, files, quarantineFile.toAbsolutePath().normalize(),
                    progressFile.toAbsolutePath().normalize());
        }
    }
}
