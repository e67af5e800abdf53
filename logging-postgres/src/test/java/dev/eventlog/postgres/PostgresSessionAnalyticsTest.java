package dev.eventlog.postgres;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.SessionAnalyticsContractTest;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSessionAnalyticsTest extends SessionAnalyticsContractTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Override
    protected EventStore openStore(Path dir) {
        return PostgresEventStore.open(db.url(db.newSchemaName()));
    }
}
