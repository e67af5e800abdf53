package dev.eventlog;

/**
 * The root of every exception eventlog throws. Unchecked: a caller that wants to react to a
 * failure catches this type or one of its role-named subclasses.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public class EventLogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that says what failed. */
    public EventLogException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the underlying cause. */
    public EventLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
