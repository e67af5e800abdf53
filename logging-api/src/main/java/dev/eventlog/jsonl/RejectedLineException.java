package dev.eventlog.jsonl;

/**
 * A JSONL line that cannot become an event; its message is the one-line reason that goes to the
 * quarantine file. Carries no stack trace: rejections are data, not bugs.
 */
public final class RejectedLineException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates a rejection with its reason. */
    public RejectedLineException(String reason) {
        super(reason, null, false, false);
    }
}
