package dev.eventlog.spi;

import java.util.List;

/**
 * A store whose schema is a Liquibase changelog shipped in its jar: the SQL stores. Used by
 * {@code eventlog schema status|update|rollback}. Implementations are thread-safe; schema changes
 * take Liquibase's lock, so two processes never change a schema at once.
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
     * Rolls back the {@code count} most recently applied change sets, newest first.
     *
     * @throws dev.eventlog.SchemaException when fewer than {@code count} are applied
     */
    void rollbackSchema(int count);
}
