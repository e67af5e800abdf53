package dev.eventlog;

/**
 * An event argument was missing or out of range: a programming error in the caller, so it is
 * thrown even when the logger is not fail-fast. The message names the field and its value.
 */
public class InvalidEventException extends EventLogException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the offending field. */
    public InvalidEventException(String message) {
        super(message);
    }
}
