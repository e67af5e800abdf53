package dev.eventlog.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * The benchmark's Kafka broker: KRaft, one combined node, logs in a temporary directory; either in
 * a JVM of its own (as a real broker runs: its CPU, JIT and GC are not the measured JVM's) or in
 * the benchmark's JVM. {@link #main} is the broker's own JVM: it writes the bootstrap servers to
 * a file and runs until its standard input ends, so that it never outlives the benchmark.
 */
final class KafkaBroker implements AutoCloseable {
    private static final String BOOTSTRAP_FILE = "bootstrap";

    private final String servers;
    private final KafkaClusterTestKit cluster;
    private final Process process;

    private KafkaBroker(String servers, KafkaClusterTestKit cluster, Process process) {
        this.servers = servers;
        this.cluster = cluster;
        this.process = process;
    }

    /** Starts a broker with its logs in {@code logs}, in a JVM of its own when {@code ownProcess}. */
    static KafkaBroker start(Path logs, boolean ownProcess) throws Exception {
        if (!ownProcess) {
            KafkaClusterTestKit cluster = cluster(logs);
            return new KafkaBroker(cluster.bootstrapServers(), cluster, null);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = logs.resolve("broker.out");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), KafkaBroker.class.getName(), logs.toString()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        Path bootstrap = logs.resolve(BOOTSTRAP_FILE);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(bootstrap)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the Kafka broker's JVM did not start: "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
        return new KafkaBroker(Files.readString(bootstrap).strip(), null, process);
    }

    /** The bootstrap servers. */
    String servers() {
        return servers;
    }

    /** Where the broker runs, for the report. */
    String describe() {
        return process == null ? "in this JVM" : "in a JVM of its own (pid " + process.pid() + ")";
    }

    /** The CPU time the broker's own JVM used so far, in seconds; 0 when the broker runs in this JVM. */
    double processCpuSeconds() {
        if (process == null) {
            return 0;
        }
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }

    @Override
    public void close() throws Exception {
        if (process == null) {
            cluster.close();
            return;
        }
        process.getOutputStream().close();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
    }

    private static KafkaClusterTestKit cluster(Path logs) throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setBaseDirectory(Files.createDirectories(logs.resolve("kafka"))).setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0").build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return cluster;
    }

    /** The broker's own JVM: {@code KafkaBroker LOGS}; stops when its standard input ends. */
    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path logs = Path.of(args[0]);
        try (KafkaClusterTestKit cluster = cluster(logs)) {
            Path written = Files.writeString(logs.resolve(BOOTSTRAP_FILE + ".tmp"), cluster.bootstrapServers());
            Files.move(written, logs.resolve(BOOTSTRAP_FILE), StandardCopyOption.ATOMIC_MOVE);
            try {
                while (System.in.read() >= 0) {
                    // runs until the benchmark closes its end
                }
            } catch (IOException e) {
                // the benchmark is gone: stop as well
            }
        }
    }
}
