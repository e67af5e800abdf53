package dev.eventlog.migrate;

import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Replays the events of a JSONL backup (the directory a {@link dev.eventlog.DualWriter} or the
 * spool writes) that a store is missing, after an outage or a crash, exactly once: every backup
 * event is appended in batches, and since appends are idempotent on the id only the missing ones
 * are added. The report counts them as imported and the rest as already present; a torn last
 * line in the backup (a write cut by a crash, never acknowledged) is counted as rejected.
 * Built with {@link #builder()}; not thread-safe.
 */
public final class Reconciler {
    private final Path backup;
    private final EventStore target;
    private final int batchSize;
    private final boolean checkContent;
    private final MigrationListener listener;

    private Reconciler(Builder builder) {
        this.backup = builder.backup;
        this.target = builder.target;
        this.batchSize = builder.batchSize;
        this.checkContent = builder.checkContent;
        this.listener = builder.listener;
    }

    /** A builder; {@link Builder#backup} and {@link Builder#target} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Appends every backup event the target is missing.
     *
     * @throws StoreException when the target or the backup fails; a re-run completes the replay
     */
    public MigrationReport run() {
        try (JsonlEventStore source = JsonlEventStore.open(backup)) {
            return Copier.builder().source(source).target(target).batchSize(batchSize).checkContent(checkContent)
                    .listener(listener).operation("reconcile").build().run();
        }
    }

    /** Builds a {@link Reconciler}; not thread-safe. */
    public static final class Builder {
        private Path backup;
        private EventStore target;
        private int batchSize = Importer.DEFAULT_BATCH_SIZE;
        private boolean checkContent = true;
        private MigrationListener listener = MigrationListener.NONE;

        private Builder() {
        }

        /** The backup directory, one JSONL file per kind; required. */
        public Builder backup(Path backup) {
            this.backup = backup;
            return this;
        }

        /** The store to replay into; required. The reconciler does not close it. */
        public Builder target(EventStore target) {
            this.target = target;
            return this;
        }

        /** Events per append; default {@value Importer#DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Whether every event replayed is checked against the target at the end (a {@link ContentCheck}); default true. */
        public Builder checkContent(boolean checkContent) {
            this.checkContent = checkContent;
            return this;
        }

        /** Hears progress, in events; default none. */
        public Builder listener(MigrationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Checks every setting but the target, so that a tool can refuse an unusable backup before
         * it opens (and perhaps creates) the target store.
         *
         * @throws ConfigurationException listing every problem, as {@link #build()} does
         */
        public Builder checkInputs() {
            List<String> problems = problems();
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return this;
        }

        /**
         * The reconciler.
         *
         * @throws ConfigurationException listing every problem: no target, a backup that is not a
         *     directory holding at least one JSONL file named as the catalogue says, a batch size
         *     below 1
         */
        public Reconciler build() {
            List<String> problems = new ArrayList<>();
            if (target == null) {
                problems.add("target was 'null' but it must be a store to replay into");
            }
            problems.addAll(problems());
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new Reconciler(this);
        }

        private List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (batchSize < 1) {
                problems.add("batchSize was '" + batchSize + "' but it must be at least 1");
            }
            if (backup == null || !Files.isDirectory(backup)) {
                problems.add("backup was '" + backup + "' but it must be an existing directory of JSONL files");
            } else if (!holdsKnownFile(backup)) {
                List<String> names = new ArrayList<>();
                for (EventKind kind : EventKind.values()) {
                    names.add(kind.fileName());
                }
                problems.add("backup was '" + backup + "' but it must hold at least one of " + String.join(", ", names));
            }
            return problems;
        }

        private static boolean holdsKnownFile(Path dir) {
            for (EventKind kind : EventKind.values()) {
                if (Files.isRegularFile(dir.resolve(kind.fileName()))) {
                    return true;
                }
            }
            return false;
        }
    }
}
