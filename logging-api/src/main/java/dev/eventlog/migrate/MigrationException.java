package dev.eventlog.migrate;

import dev.eventlog.EventLogException;

/**
 * An import, copy or reconcile could not go on for a reason outside the stores: an input file
 * could not be read, or the quarantine or progress file could not be written. What was appended
 * before the failure stays appended, and a re-run completes it without duplicates.
 */
public class MigrationException extends EventLogException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message naming the file and the underlying cause. */
    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
