package dev.eventlog.jsonl;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.SessionAnalyticsContractTest;
import java.nio.file.Path;

class JsonlSessionAnalyticsTest extends SessionAnalyticsContractTest {

    @Override
    protected EventStore openStore(Path dir) {
        return JsonlEventStore.open(dir.resolve("jsonl"));
    }
}
