package dev.eventlog.postgres;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.EventStoreContractTest;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on a PostgreSQL store whose tables are partitioned by month. */
class PostgresPartitionedEventStoreTest extends EventStoreContractTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private final Map<Path, String> schemas = new HashMap<>();

    @Override
    protected EventStore openStore(Path dir) {
        String schema = schemas.computeIfAbsent(dir, d -> db.newSchemaName());
        return PostgresEventStore.open(db.url(schema),
                PostgresOptions.builder().partitions(PartitionInterval.MONTH).build());
    }
}
