package dev.eventlog.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.StoreException;
import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The promise of {@link CheckpointedAppends}, which a store that keeps readers' checkpoints (the SQL
 * stores) makes: a checkpoint is committed in the same transaction as its batch, so when either
 * fails neither is changed, and it is read back as last committed. A store's tests extend this class
 * and say how to open a fresh store and how to make its database refuse one row, the one fault the
 * test needs that a real database cannot be asked for otherwise (a trigger does it, no mock).
 */
public abstract class CheckpointedAppendsContractTest {
    /** A new, empty store, closed by the test. */
    protected abstract EventStore newStore();

    /**
     * Makes the database of {@code store} refuse to insert a row of {@code table} whose {@code column}
     * holds {@code value}: the insert fails with an error of the database, as a full disk would.
     */
    protected abstract void refuse(EventStore store, String table, String column, String value) throws Exception;

    private static Event git(String repo, int n) {
        return GitEvent.builder().ts(SampleEvents.T0.plusSeconds(n)).eventType("commit").repo(repo).build();
    }

    private static long gitRows(EventStore store) {
        return store.count(EventQuery.of(EventKind.GIT)).get(EventKind.GIT);
    }

    private static Map<String, String> values(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void aCheckpointIsCommittedWithItsBatchReadBackReplacedAndRemoved() {
        try (EventStore store = newStore()) {
            CheckpointedAppends checkpoints = store.capability(CheckpointedAppends.class).orElseThrow();
            List<Event> batch = List.of(git("app", 1), git("app", 2), git("app", 3));

            assertThat(checkpoints.appendWithCheckpoints(batch, "/legacy", values("1:2", "{\"offset\":10}",
                    "1:3", "{\"offset\":20}"))).isEqualTo(3);
            assertThat(checkpoints.checkpoints("/legacy"))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("1:2", "{\"offset\":10}", "1:3", "{\"offset\":20}"));
            assertThat(checkpoints.checkpoints("/other")).isEmpty();

            // The same batch again adds no event; the checkpoint named is replaced, the one set to null removed.
            assertThat(checkpoints.appendWithCheckpoints(batch, "/legacy", values("1:2", "{\"offset\":30}",
                    "1:3", null))).isZero();
            // Checkpoints alone, without events.
            assertThat(checkpoints.appendWithCheckpoints(List.of(), "/other", values("1:2", "{}"))).isZero();
            System.out.println("checkpoints kept: " + checkpoints.checkpoints("/legacy") + " and "
                    + checkpoints.checkpoints("/other"));
            assertThat(checkpoints.checkpoints("/legacy")).containsExactlyEntriesOf(Map.of("1:2", "{\"offset\":30}"));
            assertThat(checkpoints.checkpoints("/other")).containsExactlyEntriesOf(Map.of("1:2", "{}"));
            assertThat(gitRows(store)).isEqualTo(3);
        }
    }

    @Test
    void aBatchTheDatabaseRefusesLeavesTheCheckpointAsItWas() throws Exception {
        try (EventStore store = newStore()) {
            CheckpointedAppends checkpoints = store.capability(CheckpointedAppends.class).orElseThrow();
            checkpoints.appendWithCheckpoints(List.of(git("app", 1)), "/legacy", values("1:2", "before"));
            refuse(store, EventKind.GIT.table(), "repo", "refused");

            assertThatThrownBy(() -> checkpoints.appendWithCheckpoints(List.of(git("app", 2), git("refused", 3)),
                    "/legacy", values("1:2", "after"))).isInstanceOf(StoreException.class);

            System.out.println("after a refused batch: " + checkpoints.checkpoints("/legacy") + ", rows " + gitRows(store));
            assertThat(checkpoints.checkpoints("/legacy")).containsExactlyEntriesOf(Map.of("1:2", "before"));
            assertThat(gitRows(store)).isEqualTo(1);
        }
    }

    @Test
    void aCheckpointTheDatabaseRefusesLeavesItsBatchUnstored() throws Exception {
        try (EventStore store = newStore()) {
            CheckpointedAppends checkpoints = store.capability(CheckpointedAppends.class).orElseThrow();
            refuse(store, "eventlog_follow_checkpoints", "file_key", "refused");

            assertThatThrownBy(() -> checkpoints.appendWithCheckpoints(List.of(git("app", 1), git("app", 2)),
                    "/legacy", values("1:2", "fine", "refused", "x"))).isInstanceOf(StoreException.class);

            System.out.println("after a refused checkpoint: " + checkpoints.checkpoints("/legacy") + ", rows "
                    + gitRows(store));
            assertThat(gitRows(store)).isZero();
            assertThat(checkpoints.checkpoints("/legacy")).isEmpty();
        }
    }
}
