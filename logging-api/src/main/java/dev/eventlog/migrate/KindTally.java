package dev.eventlog.migrate;

/**
 * What an import, copy or reconcile did with one kind's events. Immutable.
 *
 * @param read lines (import) or events (copy, reconcile) read from the source
 * @param imported events the target did not hold before
 * @param alreadyPresent events the target already held (same id): skipped, so re-runs add nothing
 * @param rejected lines that are not events by the import rules, each in the quarantine
 *     file (import), or lines of a JSONL source store skipped as unreadable (copy, reconcile)
 */
public record KindTally(long read, long imported, long alreadyPresent, long rejected) {

    /** Nothing read yet. */
    public static final KindTally ZERO = new KindTally(0, 0, 0, 0);

    /** This tally plus {@code other}. */
    public KindTally plus(KindTally other) {
        return new KindTally(read + other.read, imported + other.imported, alreadyPresent + other.alreadyPresent,
                rejected + other.rejected);
    }
}
