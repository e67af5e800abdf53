package dev.eventlog.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time (user + system, Linux {@code /proc}, 10 ms steps) of this JVM's threads grouped by
 * name, and of the PostgreSQL server's processes on this machine, between two snapshots: which
 * thread of a phase used the CPU (the JIT's compilers and the GC included, which a
 * {@code ThreadMXBean} does not list). A thread that ended between the snapshots is not counted,
 * so take the second before the phase's threads stop. Empty where there is no {@code /proc}.
 */
final class ThreadCpu {
    private final Map<String, Long> ticks;

    private ThreadCpu(Map<String, Long> ticks) {
        this.ticks = ticks;
    }

    /** The CPU so far of each thread group of this JVM, and of every {@code postgres} process (as "postgres"). */
    static ThreadCpu now() {
        Map<String, Long> ticks = new HashMap<>();
        read(Path.of("/proc/self/task"), ticks, false);
        read(Path.of("/proc"), ticks, true);
        return new ThreadCpu(ticks);
    }

    private static void read(Path dir, Map<String, Long> ticks, boolean postgresOnly) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "[0-9]*")) {
            for (Path entry : entries) {
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                if (postgresOnly && !name.equals("postgres")) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                // After the name: state is field 3 of stat(5), utime 14 and stime 15.
                long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                ticks.merge(postgresOnly ? "postgres (all)" : name.replaceAll("[0-9]+", "#"), used, Long::sum);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing to say
        }
    }

    /** The groups that used at least 20 ms since {@code before}, most first, as {@code "name 0.42 s"}. */
    String since(ThreadCpu before) {
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        for (Map.Entry<String, Long> e : ticks.entrySet()) {
            long delta = e.getValue() - before.ticks.getOrDefault(e.getKey(), 0L);
            if (delta >= 2) {
                used.add(Map.entry(e.getKey(), delta));
            }
        }
        used.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Long> e : used) {
            out.append(out.length() == 0 ? "" : "; ").append(e.getKey()).append(' ')
                    .append(String.format("%.2f s", e.getValue() / 100.0));
        }
        return out.toString();
    }
}
