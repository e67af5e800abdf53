package dev.eventlog.spi;

import dev.eventlog.SchemaException;
import dev.eventlog.StoreException;

/**
 * A store whose schema is a Liquibase changelog (the SQL stores), so that the {@code eventlog
 * schema} command can show, apply and roll back its change sets. A store opened with
 * {@link StoreOptions#SCHEMA_TOOLS} has not looked at its schema yet, so these methods work
 * whatever state the schema is in. Implementations are thread-safe, but a schema change while
 * other threads append is the caller's risk.
 */
public interface SchemaManaged {

    /**
     * Which change sets of this build are applied, which are pending, and which the database holds
     * that this build does not know (a newer build changed it).
     *
     * @throws StoreException when the database cannot be read
     */
    SchemaStatus schemaStatus();

    /**
     * Applies every pending change set.
     *
     * @throws SchemaException when the database holds change sets this build does not know
     * @throws StoreException when the database cannot be changed
     */
    void updateSchema();

    /**
     * Rolls back the {@code count} most recently applied change sets, newest first.
     *
     * @throws SchemaException when {@code count} is not positive or exceeds the applied change sets,
     *     or when the newest applied change sets are unknown to this build
     * @throws StoreException when the database cannot be changed
     */
    void rollbackSchema(int count);
}
