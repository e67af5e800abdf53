package dev.eventlog.spi;

/**
 * What opening a store does with its schema. Stores without a schema (JSONL) ignore it.
 */
public enum SchemaMode {
    /** Bring the schema up to date with this build's changelog (the default). */
    MIGRATE,
    /**
     * Only check that the schema is this build's, never change it: for a role that may only read
     * and insert. Opening fails, naming the missing change sets, when it is not.
     */
    VALIDATE,
    /**
     * Neither check nor change it: for the schema tools ({@link SchemaManaged}), which look at the
     * schema and change it themselves. Appends and reads fail while the schema is not this build's.
     */
    LEAVE
}
