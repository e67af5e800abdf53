package dev.eventlog.postgres;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.SessionAnalyticsContractTest;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session questions on a PostgreSQL store whose tables are partitioned by month: events that
 * land in any partition (or the default one) are in the answers, and retention's removals too.
 */
class PostgresPartitionedSessionAnalyticsTest extends SessionAnalyticsContractTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Override
    protected EventStore openStore(Path dir) {
        return PostgresEventStore.open(db.url(db.newSchemaName()),
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build());
    }
}
