package dev.eventlog.migrate;

import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.LazyCommits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Imports legacy or current JSONL files into any store by the import rules (README, "Migrating from JSONL"), in
 * batches, in bounded memory (a few batches at a time, plus the counts of distinct lines for stable
 * derived ids and, while the content check is on, the ids sent: each held in memory up to a fixed
 * number and spilled to temporary files past it, so memory is flat in the file's size). A thread of its
 * own reads and decodes the next batches while the calling thread appends the previous one.
 *
 * <p>A file's kind comes from its name ({@code git-activity.jsonl} …) unless one is forced;
 * a directory stands for the files in it with known names. Rejected lines go to a quarantine
 * file with their file, line number, reason and text, and the import goes on. Importing is
 * idempotent: events are appended by id, and lines without one get ids derived from their
 * content, so a second run adds nothing. A progress file remembers how far each file was read
 * into each target, so that a file that grew since is read from where the last run stopped. That
 * state is checked before it is believed: a SHA-256 over every byte already read must still match
 * (an edit anywhere, a same-length one included, sends the file back to its start) and the target
 * must still hold the last event imported from the file (a target deleted, re-created or restored
 * from an older copy sends the file back to its start); each such decision is a note in the report.
 *
 * <p>A gzip-compressed file (known by its first bytes, whatever its name) is read through; its kind
 * comes from its name without {@code .gz} ({@code tool-usage.jsonl.gz}), or, when that is no kind's
 * name, from each line's {@code kind} key (the archive file of {@code eventlog retention
 * --archive-file}). A compressed stream cannot be entered in the middle, so its progress is recorded
 * once the whole file is imported: a re-run skips it while it is unchanged, and reads it again from
 * the start otherwise (a run stopped half-way, a file grown or replaced), the events already present
 * being skipped.
 *
 * <p>The progress and quarantine files live in a state directory of their own, by default
 * {@code $XDG_STATE_HOME/eventlog/import/<name>-<hash>/} (or {@code ~/.local/state/…}), one per
 * set of inputs and target; the importer never writes into its inputs, and refuses an output that
 * is an input, lies inside an input directory, or is a directory, FIFO or device.
 *
 * <p>A failure of the target stops the run with the batch that failed not stored and the
 * progress file pointing before it: a re-run completes the import without duplicates. A target
 * with {@link LazyCommits} (PostgreSQL) commits each batch without waiting for its disk, and the
 * import waits for the disk once, at the end of each file, before it records the file as done: a
 * crash of the database server in the middle may lose the last batches the progress file counts,
 * which the re-run finds (the target no longer holds the last event imported) and reads again.
 *
 * <p>Built with {@link #builder()}; {@link #run()} may be called again (it then imports what was
 * appended since). Not thread-safe.
 */
public final class Importer {
    /** The quarantine file's name when none is given: in the state directory. */
    public static final String DEFAULT_QUARANTINE = "eventlog-quarantine.jsonl";
    /**
     * Events per append unless told otherwise, for imports, copies and reconciles alike: large
     * enough that PostgreSQL takes each batch in one COPY (5 000 took a million-line import into
     * PostgreSQL from 57 s to 34 s against 1 000), small enough to hold a few MB.
     */
    public static final int DEFAULT_BATCH_SIZE = 5000;
    /** The progress file's name when none is given: in the state directory. */
    public static final String DEFAULT_PROGRESS = "eventlog-import-progress.json";

    private final EventStore target;
    private final List<ImportInputs.InputFile> files;
    private final KeyAliases aliases;
    private final Path quarantineFile;
    private final Path progressFile;
    private final Path stateDirectory;
    private final int batchSize;
    private final int maxLineBytes;
    private final boolean checkContent;
    private final MigrationListener listener;

    private Importer(Builder builder, List<ImportInputs.InputFile> files, Path quarantineFile, Path progressFile,
            Path stateDirectory) {
        this.target = builder.target;
        this.stateDirectory = stateDirectory;
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

    /** The directory the progress and quarantine files go to unless they were named. */
    public Path stateDirectory() {
        return stateDirectory;
    }

    /**
     * Imports every file from where the last run into the same target stopped.
     *
     * @throws StoreException when the target fails; batches stored before stay stored
     * @throws MigrationException when an input cannot be read or the quarantine or progress file
     *     cannot be written
     */
    public MigrationReport run() {
        ContentChecker checker = checkContent ? new ContentChecker(target) : null;
        try {
            return run(checker);
        } finally {
            if (checker != null) {
                checker.close();
            }
        }
    }

    private MigrationReport run(ContentChecker checker) {
        String targetName = target.describe();
        ImportProgress progress = ImportProgress.load(progressFile);
        List<String> notes = new ArrayList<>();
        if (progress.problem() != null) {
            notes.add(progress.problem());
        }
        Map<EventKind, Tally> tallies = new EnumMap<>(EventKind.class);
        List<FilePlan> plan = plan(progress, targetName, notes);
        long total = 0;
        for (FilePlan file : plan) {
            total += file.size() < 0 ? 0 : file.size() - file.start();
        }
        listener.phase("importing", total);
        Run run = new Run(progress, targetName, checker, target.capability(LazyCommits.class).orElse(null));
        try (Quarantine quarantine = new Quarantine(quarantineFile)) {
            run.quarantine = quarantine;
            for (int i = 0; i < files.size(); i++) {
                FilePlan filePlan = plan.get(i);
                if (filePlan.size() >= 0) {
                    importFile(files.get(i), filePlan, tallies, run);
                }
            }
            if (quarantine.count() > 0) {
                notes.add(quarantine.count() + " rejected line(s) written to " + quarantineFile);
            }
        }
        notes.add("progress kept in " + progressFile);
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

    /**
     * One file's part of a run.
     *
     * @param start the offset decoding starts at
     * @param size the file's size now, or -1 when there is nothing to read
     * @param digest the digest of the bytes already read and verified, positioned at or after {@code start}
     * @param before the saved progress resumed from, or {@code null} when the file is read from its start
     */
    private record FilePlan(long start, long size, PrefixDigest digest, ImportProgress.Entry before) {
    }

    /** For each file, where to start, after checking the saved progress against the file and the target. */
    private List<FilePlan> plan(ImportProgress progress, String targetName, List<String> notes) {
        List<FilePlan> plan = new ArrayList<>();
        for (ImportInputs.InputFile file : files) {
            long size;
            try {
                size = Files.size(file.path());
            } catch (IOException e) {
                throw new MigrationException("cannot read " + file.path() + ": " + e, e);
            }
            if (size == 0) {
                notes.add(file.path() + " is empty: nothing to import");
            }
            ImportProgress.Entry entry = progress.get(targetName, file.path(), file.progressKind());
            PrefixDigest digest = new PrefixDigest(file.path());
            if (entry == null) {
                plan.add(new FilePlan(0, size, digest, null));
            } else if (file.gzip() && (entry.sha256() == null || size != entry.size() || !digest.advanceTo(size)
                    || !digest.hex().equals(entry.sha256()) || !holdsLastEvent(entry))) {
                notes.add(file.path() + " is compressed and is not the file last imported into " + targetName
                        + " whole (stopped half-way, grown, replaced, or the store changed); read again from the start"
                        + " (events already present are skipped)");
                plan.add(new FilePlan(0, size, new PrefixDigest(file.path()), null));
            } else if (entry.sha256() == null || size < entry.size() || !digest.advanceTo(entry.size())
                    || !digest.hex().equals(entry.sha256())) {
                notes.add(file.path() + " changed since the last import into " + targetName
                        + " (the bytes already read differ); read again from the start (events already present are skipped)");
                plan.add(new FilePlan(0, size, new PrefixDigest(file.path()), null));
            } else if (!holdsLastEvent(entry)) {
                notes.add(targetName + " no longer holds the last event imported from " + file.path() + " (id "
                        + entry.lastId() + "): the store was deleted, re-created or restored from an older copy; "
                        + "read again from the start (events already present are skipped)");
                plan.add(new FilePlan(0, size, new PrefixDigest(file.path()), null));
            } else if (size == entry.size()) {
                if (size > 0) {
                    notes.add(file.path() + " unchanged since the last import: nothing to read");
                }
                plan.add(new FilePlan(entry.resumeAt(), -1, digest, entry));
            } else {
                notes.add(file.path() + " grew since the last import: read from byte " + entry.resumeAt());
                plan.add(new FilePlan(entry.resumeAt(), size, digest, entry));
            }
        }
        return plan;
    }

    /** Whether the target still holds the last event the saved progress says it stored from a file. */
    private boolean holdsLastEvent(ImportProgress.Entry entry) {
        if (entry.lastId() == null) {
            return true;
        }
        EventKind kind = entry.lastKind() == null ? null : EventKind.fromKey(entry.lastKind()).orElse(null);
        if (kind == null || entry.lastTs() == null) {
            return false;
        }
        UUID id = UUID.fromString(entry.lastId());
        java.time.Instant ts = java.time.Instant.ofEpochMilli(entry.lastTs());
        try (Stream<Event> events = target.read(EventQuery.of(kind).between(ts, ts.plusMillis(1)))) {
            return events.anyMatch(event -> id.equals(event.id()));
        }
    }

    private void importFile(ImportInputs.InputFile file, FilePlan plan, Map<EventKind, Tally> tallies, Run run) {
        Path path = file.path();
        long start = plan.start();
        PrefixDigest digest = plan.digest();
        LineDecoder decoder = file.kind() == null ? null : new LineDecoder(file.kind(), aliases);
        try (JsonlReader reader = JsonlReader.openInput(path, decoder, aliases, maxLineBytes, start)) {
            // A compressed file's offsets count uncompressed bytes: its digest is taken once, at its end.
            ReadAhead ahead = new ReadAhead(reader, start, batchSize, run.checker, file.gzip() ? null : digest);
            try {
                for (ReadAhead.Chunk chunk = ahead.take(); ; chunk = ahead.take()) {
                    if (file.kind() != null) {
                        tallies.computeIfAbsent(file.kind(), k -> new Tally()).read += chunk.read();
                    }
                    for (JsonlReader.Line line : chunk.rejected()) {
                        // A line of a mixed file naming no kind is counted with the kinds outside the catalogue.
                        EventKind kind = line.kind() == null ? EventKind.CUSTOM : line.kind();
                        Tally tally = tallies.computeIfAbsent(kind, k -> new Tally());
                        tally.rejected++;
                        if (file.kind() == null) {
                            tally.read++;
                        }
                        run.quarantine.add(path, line.number(), line.kind(), line.rejection(), line.text());
                    }
                    if (file.kind() == null) {
                        flushByKind(chunk.events(), tallies, run);
                    } else {
                        flush(chunk.events(), tallies.computeIfAbsent(file.kind(), k -> new Tally()), run);
                    }
                    run.quarantine.flush();
                    if (file.gzip()) {
                        // Offsets count uncompressed bytes: the progress is recorded once, for the whole file.
                        if (chunk.end()) {
                            run.sync();
                            digest.advanceTo(plan.size());
                            run.progress.record(run.targetName, path, file.progressKind(), plan.size(),
                                    digest.position(), digest.hex(), chunk.last(), plan.before(), true);
                            run.doneBefore += plan.size();
                            listener.progress(run.doneBefore);
                            break;
                        }
                        continue;
                    }
                    if (chunk.end()) {
                        run.sync();
                    }
                    run.progress.record(run.targetName, path, file.progressKind(), chunk.resumeAt(), chunk.digestSize(),
                            chunk.digestHex(), chunk.last(), plan.before(),
                            chunk.end());
                    if (chunk.end()) {
                        run.doneBefore += chunk.endOffset() - start;
                        listener.progress(run.doneBefore);
                        break;
                    }
                    listener.progress(run.doneBefore + chunk.endOffset() - start);
                }
            } catch (RuntimeException | IOException e) {
                // The progress of the batches stored before the failure is saved, as it would have
                // been after each of them: a re-run starts after them.
                try {
                    run.progress.flush();
                } catch (RuntimeException saving) {
                    e.addSuppressed(saving);
                }
                throw e;
            } finally {
                ahead.stop();
            }
            run.progress.flush();
        } catch (IOException e) {
            throw new MigrationException("cannot read " + path + ": " + e, e);
        }
    }

    /** Appends a batch of mixed kinds as one batch per run of events of one kind, each counted to its kind. */
    private void flushByKind(List<Event> batch, Map<EventKind, Tally> tallies, Run run) {
        int from = 0;
        for (int i = 1; i <= batch.size(); i++) {
            if (i == batch.size() || batch.get(i).kind() != batch.get(from).kind()) {
                Tally tally = tallies.computeIfAbsent(batch.get(from).kind(), k -> new Tally());
                tally.read += i - from;
                flush(new ArrayList<>(batch.subList(from, i)), tally, run);
                from = i;
            }
        }
        batch.clear();
    }

    private void flush(List<Event> batch, Tally tally, Run run) {
        if (batch.isEmpty()) {
            return;
        }
        int added = run.lazy != null ? run.lazy.appendLazily(batch) : target.append(batch);
        if (run.checker != null) {
            run.checker.committed(batch);
        }
        tally.imported += added;
        tally.alreadyPresent += batch.size() - added;
        batch.clear();
    }

    /** The state of one {@link #run()}. */
    private static final class Run {
        final ImportProgress progress;
        final String targetName;
        final ContentChecker checker;
        /** The target's commits that do not wait for its disk, or {@code null}: appends then wait. */
        final LazyCommits lazy;
        Quarantine quarantine;
        long doneBefore;

        Run(ImportProgress progress, String targetName, ContentChecker checker, LazyCommits lazy) {
            this.progress = progress;
            this.targetName = targetName;
            this.checker = checker;
            this.lazy = lazy;
        }

        /** Waits until the batches appended so far are durable, before a file is recorded as done. */
        void sync() {
            if (lazy != null) {
                lazy.sync();
            }
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
        private Path stateDirectory;
        private Map<String, String> environment = System.getenv();
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

        /**
         * Where rejected lines go; default {@value #DEFAULT_QUARANTINE} in the state directory. It must
         * not be an input nor inside an input directory, and must be a regular file if it exists.
         */
        public Builder quarantine(Path quarantine) {
            this.quarantine = quarantine;
            return this;
        }

        /**
         * Where per-file progress is kept; default {@value #DEFAULT_PROGRESS} in the state directory. It
         * must not be an input nor inside an input directory, and must be a regular file if it exists.
         */
        public Builder progressFile(Path progress) {
            this.progress = progress;
            return this;
        }

        /**
         * The directory the progress and quarantine files go to when they are not named; default
         * {@code $XDG_STATE_HOME/eventlog/import/<name>-<hash>/} ({@code ~/.local/state/…} when
         * {@code XDG_STATE_HOME} is unset), where {@code name} is the first input's name and {@code hash}
         * is taken over the canonical inputs and the target's description. It must be outside the inputs.
         */
        public Builder stateDirectory(Path stateDirectory) {
            this.stateDirectory = stateDirectory;
            return this;
        }

        /** The environment the default state directory is taken from; default {@link System#getenv()}. */
        Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
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

        /** Whether every event sent is checked against the target at the end (a {@link ContentCheck}); default true. */
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
            Path stateDir = stateDirectory != null ? stateDirectory
                    : StateDirectory.forImport(inputs, target == null ? "" : target.describe(), environment);
            Path quarantineFile = quarantine != null ? quarantine : stateDir.resolve(DEFAULT_QUARANTINE);
            Path progressFile = progress != null ? progress : stateDir.resolve(DEFAULT_PROGRESS);
            if (quarantine == null || progress == null) {
                OutputPaths.checkDirectory("stateDirectory", stateDir, inputs, problems);
            }
            OutputPaths.check("quarantine", quarantineFile, inputs, problems);
            OutputPaths.check("progressFile", progressFile, inputs, problems);
            List<ImportInputs.InputFile> files = ImportInputs.resolve(inputs, kind, problems);
            return new Importer(this, files, quarantineFile.toAbsolutePath().normalize(),
                    progressFile.toAbsolutePath().normalize(), stateDir.toAbsolutePath().normalize());
        }
    }
}
