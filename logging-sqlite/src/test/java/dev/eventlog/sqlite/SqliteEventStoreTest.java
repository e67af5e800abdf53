package dev.eventlog.sqlite;

import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStoreContractTest;
import java.nio.file.Path;

class SqliteEventStoreTest extends EventStoreContractTest {

    @Override
    protected EventStore openStore(Path dir) {
        return SqliteEventStore.open(dir.resolve("events.db"));
    }
}
