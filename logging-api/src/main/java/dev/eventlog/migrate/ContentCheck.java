package dev.eventlog.migrate;

import java.util.List;
import java.util.UUID;

/**
 * The check that closes an import, copy or reconcile: every event the run handed to the target
 * is proven to be in it, every field as sent — read back and compared, or, into a store with
 * {@link dev.eventlog.spi.RowDigests}, by sums of row hashes the database computes per hour, the
 * hours that disagree read back and compared. Immutable.
 *
 * @param performed false when the run was told not to check
 * @param checked how many events the run handed to the target (new or already present)
 * @param identical how many of them the target holds exactly as sent
 * @param differing how many the target holds with other content under the same id (an event
 *     already present that differs from the line imported now)
 * @param missing how many the target does not return at all
 * @param firstDiffering the first few ids that differ
 * @param firstMissing the first few ids that are missing
 */
public record ContentCheck(boolean performed, long checked, long identical, long differing, long missing,
        List<UUID> firstDiffering, List<UUID> firstMissing) {

    /** Copies the lists. */
    public ContentCheck {
        firstDiffering = List.copyOf(firstDiffering);
        firstMissing = List.copyOf(firstMissing);
    }

    /** The result of a run told not to check. */
    public static ContentCheck skipped() {
        return new ContentCheck(false, 0, 0, 0, 0, List.of(), List.of());
    }

    /** Whether every event sent is in the target exactly as sent (true when not performed). */
    public boolean ok() {
        return differing == 0 && missing == 0;
    }
}
