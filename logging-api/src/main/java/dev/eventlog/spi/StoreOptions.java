package dev.eventlog.spi;

/**
 * How a store is opened from a URL. Immutable.
 *
 * @param validateOnly check that the schema is up to date instead of changing it
 * @param leaveSchema neither check nor change the schema when opening, for the schema tools
 *     ({@link SchemaManaged}) that look at it and change it themselves; appends and reads on a
 *     store opened this way fail when the schema is not this build's. Stores without a schema
 *     ignore it.
 */
public record StoreOptions(boolean validateOnly, boolean leaveSchema) {
    /** Bring the schema up to date on open. */
    public static final StoreOptions DEFAULT = new StoreOptions(false);

    /** Open without looking at the schema: for {@code eventlog schema status|update|rollback}. */
    public static final StoreOptions SCHEMA_TOOLS = new StoreOptions(false, true);

    /** Options that check ({@code validateOnly}) or update the schema on open. */
    public StoreOptions(boolean validateOnly) {
        this(validateOnly, false);
    }
}
