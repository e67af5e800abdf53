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
}
