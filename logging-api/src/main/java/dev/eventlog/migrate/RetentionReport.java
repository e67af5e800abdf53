package dev.eventlog.migrate;

import dev.eventlog.EventKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a {@link Retention} run did (or, in a dry run, would do), per kind. Immutable.
 *
 * @param store the store (no password)
 * @param dryRun whether nothing was changed
 * @param kinds one entry per kind asked for, in catalogue order
 */
public record RetentionReport(String store, boolean dryRun, List<KindRetention> kinds) {

    /** Copies the list. */
    public RetentionReport {
        kinds = List.copyOf(kinds);
    }

    /**
     * One kind's share of the run.
     *
     * @param kind the kind
     * @param cut events before this time were old
     * @param older how many events were before the cut when the run read them
     * @param archived how many of them the archive holds, checked event by event against the store
     *     (0 without an archive)
     * @param digest the content digest of the archived events (64 hex digits; the same digest
     *     {@code eventlog verify} computes), or {@code null} without an archive
     * @param archive the archive file, or {@code null} without an archive
     * @param removed how many events were removed (0 in a dry run)
     * @param changes one line per change, e.g. a partition dropped
     */
    public record KindRetention(EventKind kind, Instant cut, long older, long archived, String digest, Path archive,
            long removed, List<String> changes) {

        /** Copies the list. */
        public KindRetention {
            changes = List.copyOf(changes);
        }
    }

    /** How many events were removed, over every kind. */
    public long removed() {
        return kinds.stream().mapToLong(KindRetention::removed).sum();
    }
}
