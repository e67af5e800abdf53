package dev.eventlog.kafka;

import dev.eventlog.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real Kafka broker in this JVM ({@link KafkaBroker}, KRaft, its log in a temporary
 * directory), started by the first test that asks for it and stopped when the JVM exits: every
 * test class of the module shares it, each on topics of its own. A test that stops the broker
 * starts one of its own.
 */
final class EmbeddedKafka {
    private static KafkaBroker broker;

    private EmbeddedKafka() {
    }

    /** The broker's {@code bootstrap.servers}, starting it on first use. */
    static synchronized String bootstrap() {
        if (broker == null) {
            try {
                Path logs = Files.createTempDirectory("eventlog-kafka-test");
                KafkaBroker started = KafkaBroker.start(logs);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                        deleteTree(logs);
                    } catch (RuntimeException | java.io.IOException e) {
                        System.err.println("the embedded Kafka broker did not stop cleanly: " + e);
                    }
                }, "embedded-kafka-stop"));
                broker = started;
                System.err.println("Kafka tests use an embedded KRaft broker at " + started.bootstrap());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the embedded Kafka broker did not start: " + e, e);
            }
        }
        return broker.bootstrap();
    }

    /** Deletes {@code dir} and everything under it. */
    static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** A {@code kafka://} URL for a topic of its own. */
    static String url(String topic) {
        return KafkaUrl.SCHEME + bootstrap() + "/" + topic;
    }
}
