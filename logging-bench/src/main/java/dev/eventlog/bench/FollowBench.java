package dev.eventlog.bench;

import dev.eventlog.cli.serve.EventSink;
import dev.eventlog.cli.serve.Follower;
import dev.eventlog.cli.serve.Ingest;
import dev.eventlog.migrate.Importer;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code -Dbench=follow}: {@code eventlog serve --follow}'s follower on a generated legacy {@code tool-usage.jsonl}
 * into SQLite, against {@code eventlog import}'s importer on the same file in the same JVM: the catch-up rate of
 * each, the restart of the follower (one read of the file to check its checkpoint and count its lines), a pass
 * that finds one new line, and the heap the follower keeps per line. The follower keeps its checkpoints in the
 * store, committed with each batch; the same catch-up and passes are then measured with the checkpoints in a
 * file (as with a JSONL store, and before the store kept them) as the reference. Printed, never asserted.
 */
final class FollowBench {
    private static final int LINES = Integer.getInteger("follow.lines", 200_000);

    private FollowBench() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("eventlog-follow-bench");
        Path legacy = Files.createDirectories(dir.resolve("legacy"));
        Path file = legacy.resolve("tool-usage.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                out.write(line(i));
            }
        }
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "%,d legacy tool_use lines (%,d bytes) into SQLite, %d cores%n", LINES,
                Files.size(file), Runtime.getRuntime().availableProcessors());

        double importSeconds;
        try (EventStore store = EventStores.open("sqlite:" + dir.resolve("imported.db"))) {
            long start = System.nanoTime();
            Importer.builder().target(store).input(file).stateDirectory(dir.resolve("import-state"))
                    .checkContent(false).build().run();
            importSeconds = (System.nanoTime() - start) / 1e9;
        }
        System.out.printf(Locale.ROOT, "%-44s %8.2f s %,12.0f events/s%n", "eventlog import (reference)",
                importSeconds, LINES / importSeconds);

        try (EventStore store = EventStores.open("sqlite:" + dir.resolve("followed.db"))) {
            EventSink sink = new EventSink(store, null);
            System.gc();
            long heapBefore = usedHeap();
            Follower follower = new Follower(legacy, "*.jsonl", dir.resolve("state"), new Ingest(), sink, quiet);
            long start = System.nanoTime();
            follower.poll();
            double followSeconds = (System.nanoTime() - start) / 1e9;
            long heapAfter = usedHeap();
            System.out.printf(Locale.ROOT, "%-44s %8.2f s %,12.0f events/s   %.2fx the import's rate%n",
                    "--follow catching up from byte 0", followSeconds, LINES / followSeconds,
                    importSeconds / followSeconds);
            System.out.printf(Locale.ROOT, "%-44s %8.0f bytes per line%n", "heap kept by the follower (rough)",
                    (heapAfter - heapBefore) / (double) LINES);
            if (follower.files().get(0).lag() != 0) {
                throw new IllegalStateException("not caught up: " + follower.files());
            }

            long[] passes = new long[200];
            for (int i = 0; i < passes.length; i++) {
                Files.writeString(file, line(LINES + i), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                long t = System.nanoTime();
                follower.poll();
                passes[i] = System.nanoTime() - t;
            }
            follower.close();
            Arrays.sort(passes);
            System.out.printf(Locale.ROOT, "%-44s %8.2f ms p50 %8.2f ms p99%n", "a pass that finds one new line",
                    passes[passes.length / 2] / 1e6, passes[(int) (passes.length * 0.99)] / 1e6);

            Follower restarted = new Follower(legacy, "*.jsonl", dir.resolve("state"), new Ingest(), sink, quiet);
            start = System.nanoTime();
            restarted.poll();
            double restartSeconds = (System.nanoTime() - start) / 1e9;
            restarted.close();
            System.out.printf(Locale.ROOT, "%-44s %8.2f s   %.2fx the catch-up%n",
                    "restart: checkpoint checked, nothing new", restartSeconds, restartSeconds / followSeconds);
            if (restarted.events() != 0 || restarted.duplicates() != 0) {
                throw new IllegalStateException("a restart stored " + restarted.events() + " event(s) and read "
                        + restarted.duplicates() + " again");
            }
        }

        // The reference: the same store, the checkpoints in a file beside it (the store's ability hidden).
        try (EventStore store = EventStores.open("sqlite:" + dir.resolve("file-checkpoints.db"))) {
            EventSink sink = new EventSink(withoutCheckpoints(store), null);
            Follower follower = new Follower(legacy, "*.jsonl", dir.resolve("state"), new Ingest(), sink, quiet);
            long lines = LINES + 200;   // the generated lines and the 200 appended one at a time
            long start = System.nanoTime();
            follower.poll();
            double followSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-44s %8.2f s %,12.0f events/s   %.2fx the import's rate%n",
                    "checkpoints in a file: catching up", followSeconds, lines / followSeconds,
                    importSeconds / followSeconds);
            long[] passes = new long[200];
            for (int i = 0; i < passes.length; i++) {
                Files.writeString(file, line(LINES + 200 + i), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                long t = System.nanoTime();
                follower.poll();
                passes[i] = System.nanoTime() - t;
            }
            follower.close();
            if (follower.checkpointsInStore() || !Files.exists(follower.checkpointFile())) {
                throw new IllegalStateException("the reference did not keep its checkpoints in a file");
            }
            Arrays.sort(passes);
            System.out.printf(Locale.ROOT, "%-44s %8.2f ms p50 %8.2f ms p99%n",
                    "checkpoints in a file: a pass, one new line", passes[passes.length / 2] / 1e6,
                    passes[(int) (passes.length * 0.99)] / 1e6);
        }
    }

    /** {@code store} without its abilities: the follower keeps its checkpoints in a file. */
    private static EventStore withoutCheckpoints(EventStore store) {
        return new EventStore() {
            @Override
            public int append(java.util.List<? extends dev.eventlog.Event> batch) {
                return store.append(batch);
            }

            @Override
            public java.util.stream.Stream<dev.eventlog.Event> read(dev.eventlog.spi.EventQuery query) {
                return store.read(query);
            }

            @Override
            public String describe() {
                return store.describe();
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    private static String line(int i) {
        return "{\"ts\":" + (1_700_000_000_000L + i) + ",\"tool\":\"Bash\",\"success\":\"yes\",\"duration_ms\":"
                + (i % 977) + ",\"session_id\":\"s" + (i / 50) + "\",\"n\":" + i + "}\n";
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
