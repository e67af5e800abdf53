package dev.eventlog.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The milliseconds of a command's steps, printed to stderr at its end when the system property
 * {@value #PROPERTY} is set ({@code EVENTLOG_JAVA_OPTS=-Deventlog.stepTimes=true bin/eventlog log ...}):
 * the JVM's start until {@code main}, then each step marked since the one before. For finding where a
 * short command's start-up goes; nothing is recorded without the property. Not thread-safe: the
 * command's main thread marks its steps.
 */
final class StepTimes {
    /** The system property that turns the timings on. */
    static final String PROPERTY = "eventlog.stepTimes";

    private static final boolean ON = Boolean.getBoolean(PROPERTY);
    private static final List<String> NAMES = new ArrayList<>();
    private static final List<Long> NANOS = new ArrayList<>();

    private StepTimes() {
    }

    /** Marks the end of step {@code name}, when timings are on. */
    static void mark(String name) {
        if (ON) {
            NAMES.add(name);
            NANOS.add(System.nanoTime());
        }
    }

    /** Prints the steps marked so far to {@code err}, when timings are on. */
    static void print(PrintStream err) {
        if (!ON || NANOS.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        // The uptime counts from the JVM's creation; main's start is that many milliseconds before now.
        double uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        StringBuilder line = new StringBuilder("eventlog: step times (ms):");
        line.append(String.format(Locale.ROOT, " jvm-to-%s %.1f", NAMES.get(0), uptime - (now - NANOS.get(0)) / 1e6));
        for (int i = 1; i < NANOS.size(); i++) {
            line.append(String.format(Locale.ROOT, ", %s %.1f", NAMES.get(i), (NANOS.get(i) - NANOS.get(i - 1)) / 1e6));
        }
        line.append(String.format(Locale.ROOT, "; main-to-end %.1f", (now - NANOS.get(0)) / 1e6));
        err.println(line);
    }
}
