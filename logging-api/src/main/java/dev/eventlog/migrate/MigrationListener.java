package dev.eventlog.migrate;

/**
 * Hears how far a long import, copy or reconcile has got, e.g. to draw a progress bar. Called on
 * the thread doing the work, at most once per batch, so implementations must be quick.
 */
public interface MigrationListener {

    /** A listener that ignores everything. */
    MigrationListener NONE = new MigrationListener() { };

    /**
     * A phase is starting.
     *
     * @param name what is being done, e.g. {@code importing} or {@code checking}
     * @param total the work to do: bytes for an import, events for a copy; -1 when unknown
     */
    default void phase(String name, long total) {
    }

    /** {@code done} units of the current phase's total are done. */
    default void progress(long done) {
    }
}
