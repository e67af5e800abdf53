package dev.eventlog.postgres;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.SessionAnalyticsContractTest;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session questions on a PostgreSQL store whose tables are partitioned by month: the
 * statement triggers that list changed sessions are on the partitioned tables, so an insert that
 * lands in any partition (or the default one) is seen.
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
