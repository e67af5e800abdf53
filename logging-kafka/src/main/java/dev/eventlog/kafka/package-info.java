/**
 * Kafka for eventlog: {@link dev.eventlog.kafka.KafkaEventStore}, a store of one record per event
 * behind the {@link dev.eventlog.spi.EventStore} SPI for {@code kafka://HOST:PORT/TOPIC} URLs, and
 * {@link dev.eventlog.kafka.KafkaSink}, which copies a topic into any store exactly once in effect:
 * it commits its offsets only after the store committed the events, and the store's ids make a
 * replay harmless.
 */
package dev.eventlog.kafka;
