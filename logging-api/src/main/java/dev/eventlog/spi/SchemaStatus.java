package dev.eventlog.spi;

import java.util.List;

/**
 * The state of a store's schema against the changelog of this build. Change sets are named
 * {@code id::author} in the order they were (or would be) applied. Immutable.
 *
 * @param applied change sets of this build that the database has applied
 * @param pending change sets of this build that the database has not applied yet
 * @param unknown change sets the database has applied that this build does not know: the schema
 *     is newer than this build
 */
public record SchemaStatus(List<String> applied, List<String> pending, List<String> unknown) {

    /** Copies the lists. */
    public SchemaStatus {
        applied = List.copyOf(applied);
        pending = List.copyOf(pending);
        unknown = List.copyOf(unknown);
    }

    /** Whether every change set of this build is applied and there is no other. */
    public boolean upToDate() {
        return pending.isEmpty() && unknown.isEmpty();
    }

    /** Whether the database holds change sets this build does not know. */
    public boolean newerThanThisBuild() {
        return !unknown.isEmpty();
    }
}
