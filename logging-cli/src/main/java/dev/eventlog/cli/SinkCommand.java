package dev.eventlog.cli;

import dev.eventlog.StoreException;
import dev.eventlog.kafka.KafkaSink;
import dev.eventlog.kafka.KafkaUrl;
import dev.eventlog.spi.EventStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eventlog sink}: a Kafka topic into any store, exactly once in effect. */
@Command(name = "sink", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copies the events of a Kafka topic into a store as they arrive, in batches. Offsets are "
            + "committed only after the store committed the batch, and the store skips ids it has, so a sink killed "
            + "at any point resumes where it was with nothing lost and nothing stored twice. When the store fails the "
            + "sink waits and tries the same batch again; a record that is not an event goes to the topic TOPIC.dlq "
            + "with its partition and offset. Progress and lag are printed to stderr."},
        footer = {"", "Exit codes: 0 stopped (SIGTERM) or caught up with --until-caught-up, 2 bad usage or an unusable "
            + "store or topic."})
final class SinkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "kafka://HOST:PORT/TOPIC",
            description = "The topic to consume; it must exist.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "STORE", description = "The store to append to.")
    String to;

    @Option(names = "--group", paramLabel = "G", defaultValue = "eventlog-sink",
            description = "The consumer group that keeps the sink's offsets (default: ${DEFAULT-VALUE}); sinks of "
                + "one group share the topic's partitions.")
    String group;

    @Option(names = "--until-caught-up",
            description = "Stop once every partition is consumed to its end, instead of waiting for more.")
    boolean untilCaughtUp;

    @Option(names = "--max-backoff", paramLabel = "SECONDS", defaultValue = "30",
            description = "The longest wait between two tries of a batch the store refused (default: ${DEFAULT-VALUE}).")
    long maxBackoffSeconds;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        KafkaUrl source = KafkaUrl.parse(from);
        if (maxBackoffSeconds < 1) {
            throw new dev.eventlog.ConfigurationException("--max-backoff was '" + maxBackoffSeconds
                    + "' but it must be at least 1 second");
        }
        KafkaSink.Options options = KafkaSink.Options.of(group).untilCaughtUp(untilCaughtUp)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(maxBackoffSeconds));
        CountDownLatch closed = new CountDownLatch(1);
        AtomicBoolean signalled = new AtomicBoolean();
        Thread hook = null;
        try (EventStore target = Stores.openToWrite(to);
                KafkaSink sink = new KafkaSink(source, target, options, new Printer(err, source))) {
            hook = new Thread(() -> {
                signalled.set(true);
                sink.stop();
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // SIGTERM is the way to stop the sink, so it ends with 0, not the JVM's 143.
                Runtime.getRuntime().halt(EventlogCommand.OK);
            }, "eventlog-sink-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            err.println("eventlog sink: " + source.describe() + " -> " + target.describe() + ", group " + group);
            err.flush();
            KafkaSink.Progress done = sink.run();
            err.println("eventlog sink: stopped after " + done.consumed() + " records: " + done.stored()
                    + " events new to the store, " + done.deadLettered() + " to " + source.deadLetterTopic()
                    + ", lag " + done.lag());
            err.flush();
        } finally {
            // The store and the consumer are closed: a stopping JVM may end now.
            closed.countDown();
            if (hook != null && !signalled.get()) {
                // Caught up or failed: the exit code is the command's, not the stop hook's.
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return EventlogCommand.OK;
    }

    /** Prints a line per committed batch at most every second, and every store failure and dead letter. */
    private static final class Printer implements KafkaSink.Listener {
        private final PrintWriter err;
        private final KafkaUrl source;
        private long lastPrinted;

        Printer(PrintWriter err, KafkaUrl source) {
            this.err = err;
            this.source = source;
        }

        @Override
        public void committed(KafkaSink.Progress p) {
            long now = System.nanoTime();
            if (now - lastPrinted >= 1_000_000_000L || p.lag() == 0) {
                lastPrinted = now;
                err.println("eventlog sink: committed " + p.consumed() + " records (" + p.stored() + " new, "
                        + p.deadLettered() + " dead-lettered), lag " + p.lag());
                err.flush();
            }
        }

        @Override
        public void storeFailed(StoreException failure, Duration wait) {
            err.println("eventlog sink: " + EventlogCommand.reason(failure) + "; trying the same batch again in "
                    + wait.toMillis() + " ms");
            err.flush();
        }

        @Override
        public void notCommitted(String reason) {
            err.println("eventlog sink: " + EventlogCommand.oneLine(reason));
            err.flush();
        }

        @Override
        public void deadLettered(String topic, int partition, long offset, String reason) {
            err.println("eventlog sink: " + topic + " partition " + partition + " offset " + offset
                    + " is not an event (" + EventlogCommand.oneLine(reason) + "): sent to " + source.deadLetterTopic());
            err.flush();
        }
    }
}
