package dev.eventlog;

/**
 * A store that was opened to be read does not exist: a SQLite file or a JSONL directory that is
 * not there, a PostgreSQL schema that is not in the database. Usually a mistyped name; nothing was
 * created. The message names the store with its secrets removed.
 */
public class StoreNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final String store;
    private final String requirement;

    /**
     * Creates the exception for the store {@code store} (already redacted) that fails
     * {@code requirement}, e.g. {@code "it must be an existing database file"}.
     */
    public StoreNotFoundException(String store, String requirement) {
        this("store URL", store, requirement);
    }

    private StoreNotFoundException(String subject, String store, String requirement) {
        super(subject + " was '" + store + "' but " + requirement);
        this.store = store;
        this.requirement = requirement;
    }

    /** The store as the message names it, without secrets. */
    public String store() {
        return store;
    }

    /** What the store should have been, e.g. {@code "it must be an existing database file"}. */
    public String requirement() {
        return requirement;
    }

    /**
     * The same failure told of the option or parameter that named the store, e.g.
     * {@code --from was 'sqlite:typo.db' but it must be an existing database file}.
     */
    public StoreNotFoundException namedBy(String option) {
        StoreNotFoundException named = new StoreNotFoundException(option, store, requirement);
        named.initCause(this);
        return named;
    }
}
