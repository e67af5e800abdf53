package dev.eventlog.spi;

import java.util.Objects;

/**
 * How a store is opened from a URL. Immutable.
 *
 * @param schemaMode what opening does with the store's schema
 */
public record StoreOptions(SchemaMode schemaMode) {
    /** Bring the schema up to date on open. */
    public static final StoreOptions DEFAULT = new StoreOptions(SchemaMode.MIGRATE);

    /** Open without looking at the schema: for {@code eventlog schema status|update|rollback}. */
    public static final StoreOptions SCHEMA_TOOLS = new StoreOptions(SchemaMode.LEAVE);

    /** @throws NullPointerException when {@code schemaMode} is null */
    public StoreOptions {
        Objects.requireNonNull(schemaMode, "schemaMode");
    }
}
