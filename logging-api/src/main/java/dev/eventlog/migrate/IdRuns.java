package dev.eventlog.migrate;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ids with a hash and an event time each, spilled from an {@link IdHashTable} to temporary files as runs sorted by
 * id, and read back as one merged, id-ordered sequence of distinct ids: where an id is in several
 * runs, the earliest run's hash and time win (as {@link IdHashTable#put} keeps an id's first hash
 * and time). What
 * keeps a content check's memory flat in the number of events: each run holds what one table held.
 * The files are deleted by {@link #close()}. Not thread-safe.
 */
final class IdRuns implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final List<Path> files = new ArrayList<>();
    /** Where the runs are written: the JVM's temporary directory when {@code null}. */
    private final Path directory;

    /** Runs in the JVM's temporary directory. */
    IdRuns() {
        this(null);
    }

    /** Runs in {@code directory}, or the JVM's temporary directory when it is {@code null}. */
    IdRuns(Path directory) {
        this.directory = directory;
    }

    /** Writes {@code table}'s ids as a new run and empties the table. */
    void spill(IdHashTable table) {
        try {
            Path file = directory == null ? Files.createTempFile("eventlog-check-", ".ids")
                    : Files.createTempFile(directory, "eventlog-check-", ".ids");
            files.add(file);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file),
                    BUFFER))) {
                table.drainSorted(out);
            }
        } catch (IOException e) {
            throw new MigrationException("cannot spill the content check's ids to a temporary file: " + e, e);
        }
    }

    /** Whether any run was written. */
    boolean any() {
        return !files.isEmpty();
    }

    /** The runs merged, in id order; close it before {@link #close()}. */
    Merged merged() {
        return new Merged(files);
    }

    /** Deletes the runs' files; the first failure is thrown after every file was tried. */
    @Override
    public void close() {
        IOException first = null;
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        files.clear();
        if (first != null) {
            throw new MigrationException("cannot delete the content check's temporary file: " + first, first);
        }
    }

    /** The distinct ids of every run in ascending order; the current one in {@link #hi}, {@link #lo}, {@link #hash}, {@link #millis}. */
    static final class Merged implements AutoCloseable {
        private final List<Run> runs = new ArrayList<>();
        long hi;
        long lo;
        long hash;
        long millis;

        private Merged(List<Path> files) {
            try {
                for (Path file : files) {
                    Run run = new Run(new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER)));
                    runs.add(run);
                    run.advance();
                }
            } catch (IOException e) {
                close();
                throw new MigrationException("cannot read the content check's temporary file: " + e, e);
            }
        }

        /** Moves to the next distinct id; false when every run is exhausted. */
        boolean next() {
            Run least = null;
            for (Run run : runs) {
                if (run.has && (least == null || IdHashTable.compare(run.hi, run.lo, least.hi, least.lo) < 0)) {
                    least = run;
                }
            }
            if (least == null) {
                return false;
            }
            hi = least.hi;
            lo = least.lo;
            hash = least.hash;
            millis = least.millis;
            for (Run run : runs) {
                if (run.has && run.hi == hi && run.lo == lo) {
                    run.advance();
                }
            }
            return true;
        }

        @Override
        public void close() {
            for (Run run : runs) {
                try {
                    run.in.close();
                } catch (IOException e) {
                    // Read-only files about to be deleted: nothing is lost if closing one fails.
                    run.has = false;
                }
            }
        }
    }

    /** One run being read. */
    private static final class Run {
        final DataInputStream in;
        boolean has;
        long hi;
        long lo;
        long hash;
        long millis;

        Run(DataInputStream in) {
            this.in = in;
        }

        void advance() {
            try {
                hi = in.readLong();
                lo = in.readLong();
                hash = in.readLong();
                millis = in.readLong();
                has = true;
            } catch (EOFException e) {
                has = false;
            } catch (IOException e) {
                throw new MigrationException("cannot read the content check's temporary file: " + e, e);
            }
        }
    }
}
