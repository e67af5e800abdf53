package dev.eventlog.spi;

/**
 * How a store is opened from a URL. Immutable.
 *
 * @param validateOnly check that the schema is up to date instead of changing it
 */
public record StoreOptions(boolean validateOnly) {
    /** Bring the schema up to date on open. */
    public static final StoreOptions DEFAULT = new StoreOptions(false);
}
