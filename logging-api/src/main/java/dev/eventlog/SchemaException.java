package dev.eventlog;

/**
 * A store's schema is not what this build expects: a change set is missing in validate-only
 * mode, or the database holds change sets this build does not know (it is newer).
 */
public class SchemaException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the change sets concerned. */
    public SchemaException(String message) {
        super(message);
    }

    /** Creates an exception with a cause. */
    public SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
