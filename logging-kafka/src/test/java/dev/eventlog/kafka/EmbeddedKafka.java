package dev.eventlog.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka broker in this JVM, in KRaft mode (one combined broker and controller, its logs
 * in a temporary directory), started by the first test that asks for it and stopped when the JVM
 * exits: every test class of the module shares it, each on topics of its own.
 */
final class EmbeddedKafka {
    private static KafkaClusterTestKit cluster;

    private EmbeddedKafka() {
    }

    /** The broker's {@code bootstrap.servers}, starting it on first use. */
    static synchronized String bootstrap() {
        if (cluster == null) {
            try {
                // A directory of its own, deleted when the broker closes (not by an exit hook that may run first).
                Path logs = Files.createTempDirectory("eventlog-kafka-test");
                KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setBaseDirectory(logs).setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("num.partitions", "1")
                        // On a loaded machine the controller may answer heartbeats late: never fence the only broker.
                        .setConfigProp("broker.session.timeout.ms", "60000")
                        .build();
                started.format();
                started.startup();
                started.waitForReadyBrokers();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (Exception e) {
                        System.err.println("the embedded Kafka broker did not stop cleanly: " + e);
                    }
                }, "embedded-kafka-stop"));
                cluster = started;
                System.err.println("Kafka tests use an embedded KRaft broker at " + started.bootstrapServers());
            } catch (Exception e) {
                throw new IllegalStateException("the embedded Kafka broker did not start: " + e, e);
            }
        }
        return cluster.bootstrapServers();
    }

    /** A {@code kafka://} URL for a topic of its own. */
    static String url(String topic) {
        return KafkaUrl.SCHEME + bootstrap() + "/" + topic;
    }
}
