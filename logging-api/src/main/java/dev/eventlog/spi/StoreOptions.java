package dev.eventlog.spi;

import java.util.Objects;

/**
 * How a store is opened from a URL. Immutable.
 *
 * @param schemaMode what opening does with the store's schema
 * @param mustExist whether the store must already exist: when it does not (a SQLite file or a
 *     JSONL directory that is not there, a PostgreSQL schema that is not in the database), opening
 *     throws {@link dev.eventlog.StoreNotFoundException} and creates nothing
 */
public record StoreOptions(SchemaMode schemaMode, boolean mustExist) {
    /** Bring the schema up to date on open, creating the store when it does not exist: to write. */
    public static final StoreOptions DEFAULT = new StoreOptions(SchemaMode.MIGRATE, false);

    /** The store must exist; its schema is brought up to date: to read (stats, verify, copy's source). */
    public static final StoreOptions READ = new StoreOptions(SchemaMode.MIGRATE, true);

    /**
     * Open without looking at the schema, creating the store when it does not exist: for
     * {@link SchemaManaged#updateSchema()} on a store that may be new (it creates a missing
     * PostgreSQL schema).
     */
    public static final StoreOptions SCHEMA_TOOLS = new StoreOptions(SchemaMode.LEAVE, false);

    /**
     * The store must exist; its schema is neither checked nor changed: for
     * {@code eventlog schema status|update|rollback}, which never create a store.
     */
    public static final StoreOptions SCHEMA_READ = new StoreOptions(SchemaMode.LEAVE, true);

    /** @throws NullPointerException when {@code schemaMode} is null */
    public StoreOptions {
        Objects.requireNonNull(schemaMode, "schemaMode");
    }

    /** Options with the schema mode given that create the store when it does not exist. */
    public StoreOptions(SchemaMode schemaMode) {
        this(schemaMode, false);
    }
}
