package dev.eventlog.jsonl;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.EventStoreContractTest;
import java.nio.file.Path;

class JsonlEventStoreTest extends EventStoreContractTest {

    @Override
    protected EventStore openStore(Path dir) {
        return JsonlEventStore.open(dir.resolve("jsonl"));
    }

    @Override
    protected boolean readsInTimeOrder() {
        return false;
    }
}
