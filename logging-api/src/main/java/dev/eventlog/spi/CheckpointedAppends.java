package dev.eventlog.spi;

import dev.eventlog.Event;
import java.util.List;
import java.util.Map;

/**
 * A store that keeps a reader's checkpoints beside its events, committed in the same transaction as
 * the batch they describe: the SQL stores, in their {@code eventlog_follow_checkpoints} table. Used by
 * {@code eventlog serve --follow} (README, "Following legacy files"), found through {@link
 * EventStore#capability(Class)}; a store without it (the JSONL store, a {@code DualWriter}) leaves the
 * reader to keep its checkpoints elsewhere.
 *
 * <p>A checkpoint is an opaque text value under a pair of keys: the reader's ({@code follower}, e.g.
 * the folder it follows) and the thing read ({@code file}, e.g. a file's identity). Implementations
 * are thread-safe.
 */
public interface CheckpointedAppends {

    /**
     * Appends {@code batch} as {@link EventStore#append(List)} does and sets the checkpoints of
     * {@code follower}, all in one transaction: when this throws, neither the events nor the
     * checkpoints changed; when it returns, both are committed.
     *
     * @param batch the events, possibly none (to save checkpoints alone)
     * @param checkpoints per file key the value to keep, or {@code null} to remove the file's checkpoint;
     *     files not named keep theirs
     * @return how many events were new
     * @throws dev.eventlog.StoreException when the store cannot be written
     */
    int appendWithCheckpoints(List<? extends Event> batch, String follower, Map<String, String> checkpoints);

    /**
     * The checkpoints of {@code follower} as last committed, per file key; empty when it has none.
     *
     * @throws dev.eventlog.StoreException when the store cannot be read
     */
    Map<String, String> checkpoints(String follower);
}
