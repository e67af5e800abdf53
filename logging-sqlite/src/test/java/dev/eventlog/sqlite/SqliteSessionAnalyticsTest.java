package dev.eventlog.sqlite;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.SessionAnalyticsContractTest;
import java.nio.file.Path;

class SqliteSessionAnalyticsTest extends SessionAnalyticsContractTest {

    @Override
    protected EventStore openStore(Path dir) {
        return SqliteEventStore.open(dir.resolve("events.db"));
    }
}
