package dev.eventlog.bench;

import dev.eventlog.ActivityEvent;
import dev.eventlog.AsyncOptions;
import dev.eventlog.Backpressure;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogger;
import dev.eventlog.SpoolOptions;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.LineEncoder;
import dev.eventlog.kafka.KafkaSink;
import dev.eventlog.kafka.KafkaUrl;
import dev.eventlog.kafka.RecordCodec;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.postgres.PostgresOptions;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.testkit.TcpProxy;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * Kafka throughput against references measured in the same run:
 * {@code mvn -q -pl logging-bench -am package -DskipTests exec:exec -Dbench=kafka}. It starts a
 * broker in this JVM (KRaft, one node, logs in a temporary directory) and measures:
 * <ol>
 *   <li>appends of {@code bench.events} (200 000) events in batches of {@code bench.batch} (1 000)
 *       through {@code KafkaEventStore} with {@code acks=all}, with the default client settings and
 *       then with one setting changed at a time (linger, batch size, compression, requests in
 *       flight), with batches of 10 000, and through an async {@code EventLogger}; each against
 *       the default run, plus the cost of encoding the events alone (off with
 *       {@code -Dbench.producerSettings=false});</li>
 *   <li>the candidates for the producer's {@code linger.ms} and {@code batch.size} defaults against
 *       the defaults, in turn, {@code bench.producerRounds} (3) times;</li>
 *   <li>{@code KafkaSink} copying the topic into PostgreSQL against the store's own append of the
 *       same events in batches of the sink's size (5 000), each into a fresh schema, in turn,
 *       {@code bench.sinkRounds} (3) times; both stores are opened before their clock starts, so
 *       the sink's time is its own: making it, joining its group, consuming, closing;</li>
 *   <li>with {@code bench.outageSeconds} above 0: a sink into PostgreSQL through a TCP proxy while
 *       an async logger produces {@code bench.outageRate} (5 000) events/s; the proxy is cut for
 *       that many seconds, then the time for the lag to drain is measured and the table is checked
 *       against the events produced (count and digest).</li>
 * </ol>
 * The server is {@code EVENTLOG_BENCH_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); the schemas are dropped.
 */
final class KafkaBench {
    private static final int SINK_BATCH = 5_000;
    private static KafkaBroker broker;

    private KafkaBench() {
    }

    /** Runs the measurements and prints one line each, with the load average before and after. */
    static void run() throws Exception {
        String pg = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        int total = Integer.getInteger("bench.events", 200_000);
        int batch = Integer.getInteger("bench.batch", 1_000);
        int outageSeconds = Integer.getInteger("bench.outageSeconds", 0);
        System.out.println("load average before: " + loadAverage());
        Path logs = Files.createTempDirectory("eventlog-kafka-bench");
        // A real broker never runs in the sink's JVM: by default it gets a JVM of its own (its CPU is then
        // reported beside this JVM's); -Dbench.broker=jvm runs it in this one, as the benchmark did before.
        boolean ownProcess = !"jvm".equals(System.getProperty("bench.broker", "process"));
        try (KafkaBroker broker = KafkaBroker.start(logs, ownProcess)) {
            KafkaBench.broker = broker;
            String servers = broker.servers();
            System.out.println("Kafka broker " + broker.describe());

            // Warm-up: the same path on other events and other topics, twice (the JIT keeps improving it).
            List<Event> warmUp = events(total);
            String warmTopic = newTopic(servers, "");
            produce(warmTopic, warmUp, batch);
            produce(newTopic(servers, ""), warmUp, batch);
            List<Event> events = events(total);
            String topic = newTopic(servers, "");
            double produceSeconds = produce(topic, events, batch);
            System.out.printf("producer (KafkaEventStore.append, acks=all, batches of %d): %d events in %.2f s = %,.0f events/s%n",
                    batch, total, produceSeconds, total / produceSeconds);
            if (Boolean.parseBoolean(System.getProperty("bench.producerSettings", "true"))) {
                producerSettings(servers, events, batch, produceSeconds);
            }
            int producerRounds = Integer.getInteger("bench.producerRounds", 3);
            if (producerRounds > 0) {
                producerDefaults(servers, events, batch, producerRounds);
            }
            sinkAgainstStore(pg, topic, events, warmTopic, warmUp);
            if (outageSeconds > 0) {
                outage(pg, servers, outageSeconds, Integer.getInteger("bench.outageRate", 5_000));
            }
        }
        System.out.println("load average after: " + loadAverage());
    }

    /**
     * The producer with one setting changed at a time, each on a topic of its own, then the default
     * again; the ratios are against the mean of the two default runs (their difference says how far
     * the machine's load moved the figures meanwhile).
     */
    private static void producerSettings(String servers, List<Event> events, int batch, double first)
            throws Exception {
        String[][] variants = {
            {"linger.ms=0", "linger.ms=0"},
            {"linger.ms=20", "linger.ms=20"},
            {"batch.size=64 KiB", "batch.size=65536"},
            {"batch.size=256 KiB (the default before)", "batch.size=262144"},
            {"compression none", "compression.type=none"},
            {"compression zstd", "compression.type=zstd"},
            {"max.in.flight=1", "max.in.flight.requests.per.connection=1"},
        };
        List<String> labels = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        for (String[] variant : variants) {
            labels.add(variant[0] + ", batches of " + batch);
            times.add(produce(newTopic(servers, "?" + variant[1]), events, batch));
        }
        labels.add("default settings, batches of 10000");
        times.add(produce(newTopic(servers, ""), events, 10_000));

        // What an application runs: an async logger over the store, timed until flush() returns;
        // with the default SPILL a burst faster than Kafka overflows the queue into the spool.
        for (Backpressure backpressure : new Backpressure[] {Backpressure.SPILL, Backpressure.BLOCK}) {
            try (EventStore store = EventStores.open(newTopic(servers, ""));
                    EventLogger logger = EventLogger.builder().store(store)
                            .async(AsyncOptions.builder().backpressure(backpressure).build())
                            .spool(SpoolOptions.builder(Files.createTempDirectory("eventlog-kafka-bench-spool")).build())
                            .build()) {
                long start = System.nanoTime();
                for (Event event : events) {
                    logger.log(event);
                }
                if (!logger.flush(Duration.ofMinutes(5))) {
                    throw new IllegalStateException("the async logger did not drain within 5 minutes");
                }
                labels.add("async EventLogger.log, backpressure " + backpressure + " (batches of up to 5000)");
                times.add((System.nanoTime() - start) / 1e9);
            }
        }
        labels.add("default settings again, batches of " + batch);
        double again = produce(newTopic(servers, ""), events, batch);
        times.add(again);
        double reference = (first + again) / 2;
        for (int i = 0; i < labels.size(); i++) {
            System.out.printf("  producer, %s: %d events in %.2f s = %,.0f events/s, %.2fx the default%n", labels.get(i),
                    events.size(), times.get(i), events.size() / times.get(i), reference / times.get(i));
        }

        // The line encoding alone, as the store does it (one encoder per thread, one copy per line).
        LineEncoder encoder = RecordCodec.newEncoder();
        for (int round = 0; round < 2; round++) { // the first round warms the encoder up
            long bytes = 0;
            long start = System.nanoTime();
            for (Event event : events) {
                bytes += RecordCodec.encode("t", event, encoder).value().length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (round == 1) {
                System.out.printf("  RecordCodec.encode alone: %d events (%,d bytes of lines) in %.2f s = %,.0f events/s,"
                        + " %.0f%% of the default producer's time%n", events.size(), bytes, seconds,
                        events.size() / seconds, 100 * seconds / reference);
            }
        }
    }

    /**
     * The candidates for the producer's {@code linger.ms} and {@code batch.size} defaults against
     * the defaults, each once per round in turn, the order turned by one each round so that none
     * always runs first; the ratios are of the summed times.
     */
    private static void producerDefaults(String servers, List<Event> events, int batch, int rounds) {
        String[][] candidates = {
            {"defaults (linger.ms=5, batch.size=1 MiB)", ""},
            {"linger.ms=20", "?linger.ms=20"},
            {"batch.size=256 KiB", "?batch.size=262144"},
            {"linger.ms=20, batch.size=256 KiB", "?linger.ms=20&batch.size=262144"},
        };
        double[] sums = new double[candidates.length];
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder("  producer defaults, round " + (round + 1) + ":");
            for (int k = 0; k < candidates.length; k++) {
                int c = (k + round) % candidates.length;
                double seconds = produce(newTopic(servers, candidates[c][1]), events, batch);
                sums[c] += seconds;
                line.append(String.format(" %s %,.0f/s;", candidates[c][0], events.size() / seconds));
            }
            System.out.println(line);
        }
        for (int c = 0; c < candidates.length; c++) {
            System.out.printf("  producer, %s, batches of %d, %d rounds: %,.0f events/s, %.2fx the defaults%n",
                    candidates[c][0], batch, rounds, rounds * events.size() / sums[c], sums[0] / sums[c]);
        }
    }

    private static void sinkAgainstStore(String pg, String topic, List<Event> events, String warmTopic,
            List<Event> warmUp) throws Exception {
        // Warm-up: both paths once on the warm-up topic's events, into schemas of their own.
        String warmDirect = newSchema(pg);
        String warmSunk = newSchema(pg);
        try {
            appendDirect(pg, warmDirect, warmUp);
            sink(pg, warmSunk, warmTopic, "bench-warm-up");
        } finally {
            dropSchema(pg, warmDirect);
            dropSchema(pg, warmSunk);
        }
        decodeAlone(events);

        // The reference and the sink in turn, bench.sinkRounds times (ABAB…): the spread between the rounds says
        // how much the machine's other load moved them.
        int total = events.size();
        double directSum = 0;
        double sinkSum = 0;
        int rounds = Integer.getInteger("bench.sinkRounds", 3);
        for (int round = 1; round <= rounds; round++) {
            String direct = newSchema(pg);
            String sunk = newSchema(pg);
            try {
                long cpu = processCpuNanos();
                double brokerCpu = broker.processCpuSeconds();
                ThreadCpu threadsBefore = ThreadCpu.now();
                double[] directBackend = new double[1];
                double directSeconds = appendDirect(pg, direct, events, directBackend);
                String directThreads = ThreadCpu.now().since(threadsBefore);
                double directCpu = (processCpuNanos() - cpu) / 1e9;
                double directBrokerCpu = broker.processCpuSeconds() - brokerCpu;
                SinkRun run = sink(pg, sunk, topic, "bench-" + round);
                double sinkSeconds = run.seconds;
                double sinkCpu = run.cpuSeconds;
                System.out.printf("round %d: PostgresEventStore.append, batches of %d: %d events in %.2f s = %,.0f events/s"
                        + " (CPU: this JVM %.2f s, the broker's JVM %.2f s, the store's PostgreSQL backends %.2f s)%n", round,
                        SINK_BATCH, total, directSeconds, total / directSeconds, directCpu, directBrokerCpu, directBackend[0]);
                System.out.printf("round %d: KafkaSink topic -> PostgreSQL: %d events (%d new) in %d batches in %.2f s ="
                        + " %,.0f events/s (CPU: this JVM %.2f s, the broker's JVM %.2f s, the store's PostgreSQL backends"
                        + " %.2f s)%n", round, run.progress.consumed(), run.progress.stored(), run.batches, sinkSeconds,
                        total / sinkSeconds, sinkCpu, run.brokerCpu, run.backendCpu);
                System.out.printf("round %d: the sink's %.2f s: new KafkaSink %.2f s, run() %.2f s (its first batch handed"
                        + " to the store after %.2f s; the store busy %.2f s of it, idle %.2f s after its first batch),"
                        + " close %.2f s%n", round, sinkSeconds, run.opening, run.running, run.firstBatch, run.storeBusy,
                        run.running - run.firstBatch - run.storeBusy, run.closing);
                System.out.printf("round %d: CPU by thread, store's own append: %s%n", round, directThreads);
                System.out.printf("round %d: CPU by thread, sink (to the end of run()): %s%n", round, run.threads);
                System.out.printf("round %d: sink / store's own append: %.2fx%n", round, directSeconds / sinkSeconds);
                check(pg, sunk, events, "sink");
                directSum += directSeconds;
                sinkSum += sinkSeconds;
            } finally {
                dropSchema(pg, direct);
                dropSchema(pg, sunk);
            }
        }
        System.out.printf("sink / store's own append, all %d rounds: %.2fx%n", rounds, directSum / sinkSum);
    }

    private static double appendDirect(String pg, String schema, List<Event> events) {
        return appendDirect(pg, schema, events, new double[1]);
    }

    /** The store's own append, timed; {@code backendCpu[0]} is set to its PostgreSQL backends' CPU seconds. */
    private static double appendDirect(String pg, String schema, List<Event> events, double[] backendCpu) {
        String application = "eventlog-bench-" + schema;
        try (EventStore store = PostgresEventStore.open(withParameter(pg, "currentSchema=" + schema + "&ApplicationName="
                + application))) {
            Map<Integer, Long> backends = backendTicks(pg, application);
            long start = System.nanoTime();
            for (int i = 0; i < events.size(); i += SINK_BATCH) {
                store.append(events.subList(i, Math.min(events.size(), i + SINK_BATCH)));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            backendCpu[0] = backendSecondsSince(pg, application, backends);
            return seconds;
        }
    }

    /**
     * The CPU ticks so far of each PostgreSQL backend whose connection is named {@code application}
     * (the store's own, told apart from the other work on the server), by process id.
     */
    private static Map<Integer, Long> backendTicks(String pg, String application) {
        Map<Integer, Long> ticks = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection(pg);
                java.sql.PreparedStatement s = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, application);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int pid = r.getInt(1);
                    try {
                        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                    } catch (java.io.IOException | RuntimeException gone) {
                        // another machine's server, or the backend ended
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot list the backends of " + application + ": " + e, e);
        }
        return ticks;
    }

    /** The CPU seconds the backends named {@code application} used since {@code before} (a backend new since, all of its). */
    private static double backendSecondsSince(String pg, String application, Map<Integer, Long> before) {
        long used = 0;
        for (Map.Entry<Integer, Long> now : backendTicks(pg, application).entrySet()) {
            used += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return used / 100.0;
    }

    /**
     * The totals of a sink run until caught up, how many commits Kafka confirmed, and its times in
     * seconds: in all (from {@code new KafkaSink} to its {@code close()}), of each of those three
     * steps, and until its first batch was handed to the store (the first store append began).
     */
    private record SinkRun(KafkaSink.Progress progress, long batches, double seconds, double cpuSeconds,
            double opening, double running, double closing, double firstBatch, double storeBusy, String threads,
            double brokerCpu, double backendCpu) {
    }

    /**
     * A sink into a store opened before the clock starts and closed after it stops, as the
     * reference's store is: the time is the sink's own, from making it (the topic checks, the
     * consumer) through joining its group and consuming to closing it.
     */
    private static SinkRun sink(String pg, String schema, String topic, String group) {
        AtomicLong batches = new AtomicLong();
        AtomicLong firstAppend = new AtomicLong();
        AtomicLong appending = new AtomicLong();
        String application = "eventlog-bench-" + schema;
        try (EventStore opened = PostgresEventStore.open(withParameter(pg, "currentSchema=" + schema + "&ApplicationName="
                + application))) {
            EventStore store = new EventStore() {
                @Override
                public int append(List<? extends Event> batch) {
                    long began = System.nanoTime();
                    firstAppend.compareAndSet(0, began);
                    try {
                        return opened.append(batch);
                    } finally {
                        appending.addAndGet(System.nanoTime() - began);
                    }
                }

                @Override
                public java.util.stream.Stream<Event> read(dev.eventlog.spi.EventQuery query) {
                    return opened.read(query);
                }

                @Override
                public String describe() {
                    return opened.describe();
                }

                @Override
                public void close() {
                    // the store opened above is closed after the clock stops
                }
            };
            Map<Integer, Long> backends = backendTicks(pg, application);
            double brokerCpu = broker.processCpuSeconds();
            long cpu = processCpuNanos();
            ThreadCpu threadsBefore = ThreadCpu.now();
            long start = System.nanoTime();
            KafkaSink.Progress progress;
            String threads;
            long made;
            long ran;
            try (KafkaSink sink = new KafkaSink(KafkaUrl.parse(withParameter(topic,
                    System.getProperty("bench.sinkParameters", ""))), store,
                    KafkaSink.Options.of(group).untilCaughtUp(true), new KafkaSink.Listener() {
                        @Override
                        public void committed(KafkaSink.Progress p) {
                            batches.incrementAndGet();
                        }
                    })) {
                made = System.nanoTime();
                progress = sink.run();
                ran = System.nanoTime();
                threads = ThreadCpu.now().since(threadsBefore);
            }
            long closed = System.nanoTime();
            return new SinkRun(progress, batches.get(), (closed - start) / 1e9, (processCpuNanos() - cpu) / 1e9,
                    (made - start) / 1e9, (ran - made) / 1e9, (closed - ran) / 1e9, (firstAppend.get() - made) / 1e9,
                    appending.get() / 1e9, threads, broker.processCpuSeconds() - brokerCpu,
                    backendSecondsSince(pg, application, backends));
        }
    }

    /** The record decoding alone, as the sink does it, on records made by the store's encoder. */
    private static void decodeAlone(List<Event> events) throws Exception {
        LineEncoder encoder = RecordCodec.newEncoder();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        long offset = 0;
        for (Event event : events) {
            ProducerRecord<byte[], byte[]> sent = RecordCodec.encode("t", event, encoder);
            records.add(new ConsumerRecord<>("t", 0, offset++, 0L, TimestampType.CREATE_TIME, sent.key().length,
                    sent.value().length, sent.key(), sent.value(), sent.headers(), Optional.empty()));
        }
        // Against the JSONL import rules' decoder alone, on which RecordCodec.decode adds the header checks: in
        // turn, CPU time of this thread (the machine's other load moves the wall time, much less the CPU time).
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<EventKind, LineDecoder> rules = new EnumMap<>(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            rules.put(kind, new LineDecoder(kind, KeyAliases.builtIn()));
        }
        double[] codecCpu = new double[2];
        double[] codecWall = new double[2];
        for (int round = 0; round < 4; round++) { // the first round of each warms it up
            for (int which = 0; which < 2; which++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < records.size(); i++) {
                    ConsumerRecord<byte[], byte[]> record = records.get(i);
                    if (which == 0) {
                        RecordCodec.decode(record);
                    } else {
                        rules.get(events.get(i).kind()).decode(record.value(), record.value().length, millis -> null);
                    }
                }
                if (round > 0) {
                    codecWall[which] += (System.nanoTime() - start) / 1e9;
                    codecCpu[which] += (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
                }
            }
        }
        System.out.printf("  RecordCodec.decode alone: %d records in %.2f s = %,.0f records/s (CPU %.2f s); the import"
                + " rules' LineDecoder on the same records: %.2f s (CPU %.2f s); CPU ratio %.2fx%n", records.size(),
                codecWall[0] / 3, 3 * records.size() / codecWall[0], codecCpu[0] / 3, codecWall[1] / 3,
                codecCpu[1] / 3, codecCpu[1] / codecCpu[0]);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * A sink into PostgreSQL through a proxy that is cut for {@code seconds} while an async logger
     * produces {@code rate} events/s: 10 s before the cut, the outage, 10 s after it.
     */
    private static void outage(String pg, String servers, int seconds, int rate) throws Exception {
        String topic = newTopic(servers, "?partitions=3");
        EventStores.open(topic).close(); // creates the topic, which the sink needs
        String schema = newSchema(pg);
        URI direct = URI.create(pg.substring("jdbc:".length()));
        int before = 10;
        int after = 10;
        List<Event> events = events((before + seconds + after) * rate);
        AtomicLong failures = new AtomicLong();
        try (TcpProxy proxy = new TcpProxy(direct.getHost(), direct.getPort())) {
            String through = pg.replace(direct.getHost() + ":" + direct.getPort(), "127.0.0.1:" + proxy.port());
            try (EventStore store = PostgresEventStore.open(withParameter(through, "currentSchema=" + schema),
                    PostgresOptions.builder().connectionTimeoutMs(2_000).build());
                    KafkaSink sink = new KafkaSink(KafkaUrl.parse(topic), store,
                            KafkaSink.Options.of("bench-outage").backoff(Duration.ofMillis(100), Duration.ofSeconds(2)),
                            new KafkaSink.Listener() {
                                @Override
                                public void storeFailed(dev.eventlog.StoreException failure, Duration wait) {
                                    failures.incrementAndGet();
                                }
                            })) {
                CompletableFuture<KafkaSink.Progress> running = CompletableFuture.supplyAsync(sink::run);
                long start = System.nanoTime();
                long restored = 0;
                CompletableFuture<Long> backlog = null;
                boolean cut = false;
                try (EventStore kafka = EventStores.open(topic);
                        EventLogger logger = EventLogger.builder().store(kafka).async(AsyncOptions.DEFAULT)
                                .spool(SpoolOptions.builder(Files.createTempDirectory("eventlog-kafka-bench-spool")).build())
                                .build()) {
                    for (int i = 0; i < events.size(); i++) {
                        long due = start + (long) (i * 1e9 / rate);
                        long now = System.nanoTime();
                        if (due > now) {
                            TimeUnit.NANOSECONDS.sleep(due - now);
                        }
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        if (!cut && elapsed >= before) {
                            proxy.cut();
                            cut = true;
                            System.out.printf("outage: PostgreSQL cut off from the sink at %.1f s%n", elapsed);
                        } else if (cut && restored == 0 && elapsed >= before + seconds) {
                            long behind = i - count(pg, schema);
                            proxy.restore();
                            restored = System.nanoTime();
                            backlog = backlogDrained(pg, schema, i);
                            System.out.printf("outage: PostgreSQL back at %.1f s with %,d events produced and not stored;"
                                    + " %d store failures met%n", elapsed, behind, failures.get());
                        }
                        logger.log(events.get(i));
                    }
                    logger.flush(Duration.ofMinutes(5));
                }
                long produced = System.nanoTime();
                // Drained: every event produced is in the table.
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (count(pg, schema) < events.size() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long drained = System.nanoTime();
                sink.stop();
                KafkaSink.Progress progress = running.get(2, TimeUnit.MINUTES);
                System.out.printf("outage of %d s at %,d events/s: the events produced before PostgreSQL came back were"
                        + " stored %.1f s after it came back (while %,d events/s more kept coming); everything %.1f s after it"
                        + " came back, %.1f s after the producer's last event; %s%n", seconds, rate,
                        (backlog.get() - restored) / 1e9, rate, (drained - restored) / 1e9, (drained - produced) / 1e9,
                        progress);
            }
            check(pg, schema, events, "after the outage");
        } finally {
            dropSchema(pg, schema);
        }
    }

    /** When the table first holds {@code count} rows, as {@link System#nanoTime()}, watched from another thread. */
    private static CompletableFuture<Long> backlogDrained(String pg, String schema, long count) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                while (count(pg, schema) < count) {
                    Thread.sleep(100);
                }
                return System.nanoTime();
            } catch (Exception e) {
                throw new IllegalStateException("cannot count the rows of " + schema + ": " + e, e);
            }
        });
    }

    /** Prints whether the table of {@code schema} holds exactly {@code events}: count and digest of the ids. */
    private static void check(String pg, String schema, List<Event> events, String what) throws Exception {
        List<String> ids = new ArrayList<>(events.size());
        for (Event event : events) {
            ids.add(event.id().toString());
        }
        ids.sort(null);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(String.join(",", ids).getBytes(StandardCharsets.UTF_8)));
        String table = schema + "." + EventKind.ACTIVITY.table();
        try (Connection c = DriverManager.getConnection(pg); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT id), md5(string_agg(id::text, ',' ORDER BY id::text"
                        + " COLLATE \"C\")) FROM " + table)) {
            r.next();
            long rows = r.getLong(1);
            long distinct = r.getLong(2);
            String digest = r.getString(3);
            boolean same = rows == events.size() && distinct == rows && expected.equals(digest);
            System.out.printf("check %s: %d rows (%d distinct ids) for %d events produced, digest %s: %s%n", what, rows,
                    distinct, events.size(), expected.equals(digest) ? "same" : "DIFFERENT",
                    same ? "nothing lost, nothing twice" : "MISMATCH");
        }
    }

    private static long count(String pg, String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(pg); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + schema + "." + EventKind.ACTIVITY.table())) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the table is made by the sink's store when it first opens
        }
    }

    private static String newTopic(String servers, String parameters) {
        return "kafka://" + servers + "/bench-" + UUID.randomUUID().toString().substring(0, 8) + parameters;
    }

    private static double produce(String url, List<Event> events, int batch) {
        try (EventStore topic = EventStores.open(url)) {
            long start = System.nanoTime();
            for (int i = 0; i < events.size(); i += batch) {
                topic.append(events.subList(i, Math.min(events.size(), i + batch)));
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>(count);
        Instant t0 = Instant.parse("2026-01-28T06:00:00Z");
        for (int i = 0; i < count; i++) {
            events.add(ActivityEvent.builder().ts(t0.plusMillis(i)).sessionId("s-" + (i % 500))
                    .source("bench-host").activityType("edit").description("changed file " + i).build());
        }
        return events;
    }

    private static String newSchema(String pg) throws Exception {
        String schema = "eventlog_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        execute(pg, "CREATE SCHEMA " + schema);
        return schema;
    }

    private static void dropSchema(String pg, String schema) throws Exception {
        execute(pg, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void execute(String pg, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(pg); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String withParameter(String url, String parameter) {
        if (parameter.isEmpty()) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
