package dev.eventlog.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker in this JVM, in KRaft mode (one node that is broker and controller), its
 * log in a directory of the caller's: the Kafka tests' broker, with no Docker. It can be stopped
 * and started again on the same ports and the same log directory, as a restarted server would be.
 * The module that uses it brings {@code org.apache.kafka:kafka_2.13} and {@code kafka-server} (test
 * scope; they are optional here). Not thread-safe: one test thread starts and stops it.
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private KafkaBroker(Path logDir, int port, int controllerPort) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats {@code logDir} as a new cluster's only node and starts the broker on two free
     * loopback ports.
     *
     * @throws IllegalStateException when the broker cannot be formatted or started
     */
    public static KafkaBroker start(Path logDir) {
        KafkaBroker broker = new KafkaBroker(logDir, freePort(), freePort());
        try {
            new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(logDir.toString())
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + logDir + ": " + e, e);
        }
        broker.startAgain();
        return broker;
    }

    /** The broker's {@code bootstrap.servers}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** A {@code kafka://} URL for {@code topic} on this broker. */
    public String url(String topic) {
        return "kafka://" + bootstrap() + "/" + topic;
    }

    /** Whether the broker runs. */
    public boolean running() {
        return server != null;
    }

    /** Stops the broker (a controlled shutdown) and waits until it has stopped; its log stays. */
    public void stop() {
        if (server != null) {
            KafkaRaftServer stopping = server;
            server = null;
            stopping.shutdown();
            stopping.awaitShutdown();
        }
    }

    /**
     * Starts the stopped broker again on the same ports and log directory.
     *
     * @throws IllegalStateException when it runs already
     */
    public void startAgain() {
        if (server != null) {
            throw new IllegalStateException("the Kafka broker on port " + port + " runs already");
        }
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(config(), false), Time.SYSTEM);
        started.startup();
        server = started;
    }

    private Properties config() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        // On a loaded machine the controller may answer heartbeats late: never fence the only broker.
        p.put("broker.session.timeout.ms", "60000");
        return p;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port for a Kafka broker: " + e, e);
        }
    }

    /** Stops the broker; the caller deletes its log directory. */
    @Override
    public void close() {
        stop();
    }
}
