package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.EventStoreContractTest;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SqliteEventStoreTest extends EventStoreContractTest {

    @Override
    protected EventStore openStore(Path dir) {
        return SqliteEventStore.open(dir.resolve("events.db"));
    }

    @Test
    void anIdleOpenStoreLetsAnotherOpenTheFileAndWrite() {
        Path file = dir.resolve("shared.db");
        SqliteOptions impatient = SqliteOptions.builder().busyTimeoutMs(1000).build();
        try (SqliteEventStore application = SqliteEventStore.open(file)) {
            application.append(SampleEvents.activities(3, SampleEvents.T0));

            // What a hook's 'eventlog log' does while the application keeps its store open.
            try (SqliteEventStore hook = SqliteEventStore.open(file, impatient)) {
                assertThat(hook.append(SampleEvents.activities(1, SampleEvents.T0.plusSeconds(60)))).isEqualTo(1);
            }

            assertThat(application.append(SampleEvents.activities(1, SampleEvents.T0.plusSeconds(120)))).isEqualTo(1);
            assertThat(application.count(EventQuery.of(EventKind.ACTIVITY)).get(EventKind.ACTIVITY)).isEqualTo(5);
        }
    }
}
