package dev.eventlog.spi;

import java.util.List;
import java.util.Optional;

/**
 * A store whose tables can be split into time partitions on the event time: the PostgreSQL store
 * (README, "PostgreSQL at scale"). Used by {@code eventlog maintain} and
 * {@code eventlog schema partition}, found through {@link EventStore#capability(Class)}.
 * Implementations are thread-safe; every change runs under the store's schema lock, so two
 * processes never change the partitions at once.
 */
public interface TimePartitioned {

    /**
     * The interval the tables are partitioned by ({@code day}, {@code week} or {@code month}), or
     * empty when they are not partitioned.
     */
    Optional<String> partitionInterval();

    /**
     * Creates the partitions of the current interval and of the intervals ahead that are missing,
     * and moves every row that the default partition holds into a partition of its own interval.
     *
     * @return one line per change made (a partition created, rows moved), empty when there was none
     * @throws dev.eventlog.StoreException when the tables are not partitioned or the database fails
     */
    List<String> maintainPartitions();

    /**
     * Turns unpartitioned tables holding rows into tables partitioned by {@code interval}, keeping
     * every row once. The rows are copied in batches, each committed, so a run that is killed is
     * resumed by running it again; each table is swapped for its copy in one transaction, after
     * checking that the copy holds as many rows as the table. Tables already partitioned are left.
     *
     * @param interval {@code day}, {@code week} or {@code month}
     * @return one line per table converted, with its rows
     * @throws dev.eventlog.ConfigurationException when {@code interval} is none of those
     * @throws dev.eventlog.StoreException when the database fails or a copy does not match its table
     */
    List<String> partition(String interval);

    /**
     * The tables whose partitions pg_partman manages (registered in its {@code part_config}): the store
     * creates no partition for them, neither when it opens nor in {@link #maintainPartitions()}.
     *
     * @return the table names, sorted; empty when pg_partman is not installed or manages none
     * @throws dev.eventlog.StoreException when the database fails
     */
    List<String> partmanTables();

    /**
     * Hands the partitions of every table to pg_partman (README, "pg_partman"): each table not yet
     * registered has its partitions renamed as pg_partman names them (same bounds) and is registered
     * with its {@code create_parent}, one transaction per table. Running it again registers only
     * what is left.
     *
     * @return one line per table registered, empty when every table already was
     * @throws dev.eventlog.StoreException when the tables are not partitioned, pg_partman is not
     *     installed in the database or is a version this store does not register with, or the
     *     database fails
     */
    List<String> registerWithPartman();
}
