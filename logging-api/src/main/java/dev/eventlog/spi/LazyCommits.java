package dev.eventlog.spi;

import dev.eventlog.Event;
import java.util.List;

/**
 * A store whose appends can commit without waiting for the commit to reach its disk, for a bulk
 * load that makes its end durable itself: PostgreSQL's asynchronous commit. Used by the importer
 * and the copier (README, "Migrating from JSONL"), found through {@link EventStore#capability(Class)};
 * a store without it is appended to with {@link EventStore#append(List)}, each batch durable when
 * it returns.
 *
 * <p>A lazy append is committed and visible to every reader when it returns, and durable a moment
 * later: a crash of the database server (not of the caller) before then loses it, and with it every
 * lazy append committed after it, never one committed before it. {@link #sync()} returns once every
 * append committed before the call is durable. A bulk load that records its progress elsewhere must
 * therefore either check, when it resumes, that the store still holds the last batch its progress
 * names (the importer does), or be idempotent (the copier is). Implementations are thread-safe.
 */
public interface LazyCommits {

    /**
     * Appends {@code batch} as {@link EventStore#append(List)} does, in one transaction, without
     * waiting for its commit to reach the disk.
     *
     * @return how many events were new
     * @throws dev.eventlog.StoreException when the store cannot be written; nothing of the batch is stored
     */
    int appendLazily(List<? extends Event> batch);

    /**
     * Returns once every append committed before this call, lazy or not, is durable.
     *
     * @throws dev.eventlog.StoreException when the store cannot be reached
     */
    void sync();
}
