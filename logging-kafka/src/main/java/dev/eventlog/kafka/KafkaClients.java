package dev.eventlog.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The settings of every Kafka client this module makes, in one place (README, "Beyond one
 * server"). The URL's client properties are applied last, so they override any of them.
 */
final class KafkaClients {
    /** The records one poll of a sink or a read returns at most. */
    static final int MAX_POLL_RECORDS = 5_000;

    private KafkaClients() {
    }

    /**
     * The producer: idempotent with {@code acks=all} (a record is acknowledged once every in-sync
     * replica has it, and a retried send never duplicates it), lz4 compression, batches of up to
     * 1 MiB (so that a large append goes out in few requests) sent after at most 5 ms or when an
     * append flushes, and records up to {@link RecordCodec#MAX_LINE_BYTES}.
     */
    static Properties producer(KafkaUrl url, String clientId) {
        Properties p = common(url, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1024 * 1024));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(RecordCodec.MAX_LINE_BYTES + 64 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(64L * 1024 * 1024));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return overridden(p, url);
    }

    /**
     * A consumer that reads only committed records ({@code read_committed}), never commits by
     * itself, and starts from the earliest record when its group has no committed offset.
     *
     * @param group the consumer group, or {@code null} for a consumer that assigns partitions itself
     */
    static Properties consumer(KafkaUrl url, String clientId, String group) {
        Properties p = common(url, clientId);
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(MAX_POLL_RECORDS));
        // Room for a whole batch of ordinary events from one partition in one fetch (the default is 1 MiB).
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        // A fetch that finds nothing new is held by the broker this long, and a consumer's close (or any
        // other request on the same connection) waits behind it: 500 ms by default, paid by every sink
        // that stops once caught up. An idle sink asks ten times a second instead of twice.
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return overridden(p, url);
    }

    /** The admin client, for finding and creating topics. */
    static Properties admin(KafkaUrl url, String clientId) {
        return overridden(common(url, clientId), url);
    }

    private static Properties common(KafkaUrl url, String clientId) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, url.bootstrap());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        return p;
    }

    private static Properties overridden(Properties p, KafkaUrl url) {
        for (Map.Entry<String, String> e : url.clientProperties().entrySet()) {
            p.put(e.getKey(), e.getValue());
        }
        return p;
    }
}
