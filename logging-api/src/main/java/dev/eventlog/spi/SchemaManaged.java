package dev.eventlog.spi;

import java.util.List;
import java.util.Optional;

/**
 * A store whose schema is a Liquibase changelog shipped in its jar: the SQL stores. Used by
 * {@code eventlog schema status|update|rollback|lock|unlock}. Implementations are thread-safe; a
 * schema change runs under a lock of the database that dies with its process (SQLite's write
 * lock, a PostgreSQL session advisory lock), so two processes never change a schema at once and a
 * process killed in the middle blocks no later one.
 */
public interface SchemaManaged {

    /** The change sets applied to the database, oldest first, as {@code author:id}. */
    List<String> appliedChangeSets();

    /** The change sets of this build not yet applied, as {@code author:id}. */
    List<String> pendingChangeSets();

    /**
     * The change sets applied to the database that this build does not know, as
     * {@code author:id}: not empty when a newer version of eventlog changed the schema.
     */
    List<String> unknownChangeSets();

    /**
     * Applies every pending change set.
     *
     * @throws dev.eventlog.SchemaException when the database holds change sets this build does not know
     */
    void updateSchema();

    /**
     * Rolls back the {@code count} most recently applied change sets, newest first, refusing to
     * drop a table that holds rows.
     *
     * @throws dev.eventlog.SchemaException as {@link #rollbackSchema(int, boolean)} with {@code false}
     */
    default void rollbackSchema(int count) {
        rollbackSchema(count, false);
    }

    /**
     * Rolls back the {@code count} most recently applied change sets, newest first. Every check
     * below is made before anything changes.
     *
     * @param dropRows whether tables that hold rows may be dropped
     * @return the change sets rolled back, newest first
     * @throws dev.eventlog.SchemaException when fewer than {@code count} are applied, when the
     *     database holds change sets this build does not know (the version that applied them must
     *     roll them back), or when a table to drop holds rows and {@code dropRows} is false (the
     *     message says how many); nothing is changed then
     */
    List<String> rollbackSchema(int count, boolean dropRows);

    /**
     * The schema's lock when it is taken: who took Liquibase's lock row and since when, ending in
     * {@code "(stale)"} when no live eventlog process holds it (left by a process that died, or by
     * another Liquibase tool), or that a live process is changing the schema now. Empty when free.
     */
    default Optional<String> schemaLock() {
        return Optional.empty();
    }

    /**
     * Clears a stale Liquibase lock (see {@link #schemaLock()}), after waiting for a live schema
     * change to end; the next schema change clears it too.
     *
     * @return who held it, or empty when it was free
     */
    default Optional<String> clearSchemaLock() {
        return Optional.empty();
    }
}
