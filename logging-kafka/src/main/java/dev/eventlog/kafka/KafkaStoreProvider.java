package dev.eventlog.kafka;

import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStoreProvider;
import dev.eventlog.spi.StoreOptions;
import java.util.List;

/**
 * Opens {@code kafka://HOST:PORT/TOPIC} URLs as {@link KafkaEventStore}s. The URL's parameters
 * may hold credentials (e.g. {@code sasl.jaas.config}), so a URL is printed without them.
 * Thread-safe.
 */
public final class KafkaStoreProvider implements EventStoreProvider {
    @Override
    public List<String> urlForms() {
        return List.of("kafka://HOST:PORT/TOPIC");
    }

    @Override
    public boolean supports(String url) {
        return url.startsWith(KafkaUrl.SCHEME);
    }

    @Override
    public String redact(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    @Override
    public EventStore open(String url, StoreOptions options) {
        return KafkaEventStore.open(KafkaUrl.parse(url), options);
    }
}
