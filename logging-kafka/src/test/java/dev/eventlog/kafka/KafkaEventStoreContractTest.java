package dev.eventlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.Event;
import dev.eventlog.StoreNotFoundException;
import dev.eventlog.spi.AppendOnlyLog;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import dev.eventlog.testkit.EventStoreContractTest;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real Kafka broker: each test's directory names a topic of its own, so
 * reopening the same directory reads the same topic.
 */
class KafkaEventStoreContractTest extends EventStoreContractTest {

    @Override
    protected EventStore openStore(Path dir) {
        return EventStores.open(url(dir));
    }

    /** A log reads each kind in the order it was written. */
    @Override
    protected boolean readsInTimeOrder() {
        return false;
    }

    private static String url(Path dir) {
        return EmbeddedKafka.url("contract-" + Integer.toHexString(dir.toString().hashCode()) + "-"
                + dir.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "-"));
    }

    @Test
    void declaresItselfAnAppendOnlyLog() {
        assertThat(store.capability(AppendOnlyLog.class).orElseThrow()).isSameAs(store);
    }

    @Test
    void aRepeatedAppendWritesRecordsThatReadsSkip() {
        List<Event> events = SampleEvents.activities(3, SampleEvents.T0);
        store.append(events);
        store.append(events);

        try (Stream<Event> read = store.read(EventQuery.all())) {
            assertThat(read).containsExactlyElementsOf(events);
        }
    }

    @Test
    void aTopicThatMustExistAndDoesNotIsNotCreated() {
        String missing = EmbeddedKafka.url("missing-" + dir.getFileName());

        assertThatThrownBy(() -> EventStores.open(missing, StoreOptions.READ))
                .isInstanceOf(StoreNotFoundException.class).hasMessageContaining("missing-");
        assertThatThrownBy(() -> EventStores.open(missing, StoreOptions.READ))
                .isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void aNewTopicTakesRecordsOnEveryPartitionOnceOpenReturns() throws Exception {
        String url = EmbeddedKafka.url("ready-" + Integer.toHexString(dir.toString().hashCode())) + "?partitions=12";
        try (EventStore opened = EventStores.open(url);
                Admin admin = Admin.create(withoutRetries(KafkaUrl.parse(url)))) {
            String topic = KafkaUrl.parse(url).topic();
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            for (int p = 0; p < 12; p++) {
                partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            // Each partition's leader answers at once: none is still being taken up by the broker.
            assertThat(admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS)).hasSize(12);
        }
    }

    private static Properties withoutRetries(KafkaUrl url) {
        Properties p = KafkaClients.admin(url, "test");
        p.put(AdminClientConfig.RETRIES_CONFIG, "0");
        return p;
    }
}
