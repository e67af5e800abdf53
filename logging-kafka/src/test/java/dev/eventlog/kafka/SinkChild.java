package dev.eventlog.kafka;

import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;

/**
 * A sink in a process of its own, for the test that kills it: {@code SinkChild FROM TO GROUP}
 * copies until caught up and prints its totals as {@code consumed=N stored=N}.
 */
public final class SinkChild {
    private SinkChild() {
    }

    /** Runs the sink. */
    public static void main(String[] args) {
        try (EventStore to = EventStores.open(args[1]);
                KafkaSink sink = new KafkaSink(KafkaUrl.parse(args[0]), to,
                        KafkaSink.Options.of(args[2]).untilCaughtUp(true), new KafkaSink.Listener() { })) {
            KafkaSink.Progress done = sink.run();
            System.out.println("consumed=" + done.consumed() + " stored=" + done.stored());
        }
    }
}
