package dev.eventlog.cli.serve;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The service's counters in the Prometheus text format: requests per status, events accepted,
 * duplicate and rejected, and a request latency summary (quantiles over the last 4 096 requests,
 * with the count and sum of all). Thread-safe.
 */
public final class HttpMetrics {
    private static final int WINDOW = 4096;

    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder spooled = new LongAdder();
    private final long[] recentNanos = new long[WINDOW];
    private final AtomicLong count = new AtomicLong();
    private final LongAdder sumNanos = new LongAdder();

    /** Counts one answered request. */
    public void request(int status, long nanos) {
        byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        long n = count.getAndIncrement();
        synchronized (recentNanos) {
            recentNanos[(int) (n % WINDOW)] = nanos;
        }
        sumNanos.add(nanos);
    }

    /** Counts the events of one request or inbox file. */
    public void events(int acceptedEvents, int duplicateEvents, int rejectedLines, boolean wereSpooled) {
        accepted.add(acceptedEvents);
        duplicates.add(duplicateEvents);
        rejected.add(rejectedLines);
        if (wereSpooled) {
            spooled.add(acceptedEvents);
        }
    }

    /** The metrics as Prometheus text, with {@code extra} lines (the gauges of the caller) appended. */
    public String prometheus(String extra) {
        StringBuilder text = new StringBuilder(2048);
        text.append("# HELP eventlog_serve_requests_total HTTP requests answered, by status.\n")
                .append("# TYPE eventlog_serve_requests_total counter\n");
        new TreeMap<>(byStatus).forEach((status, n) -> text.append("eventlog_serve_requests_total{status=\"")
                .append(status).append("\"} ").append(n.sum()).append('\n'));
        counter(text, "eventlog_serve_events_accepted_total", "Events stored (or spooled) for the first time.",
                accepted.sum());
        counter(text, "eventlog_serve_events_duplicate_total", "Events whose id was stored already.",
                duplicates.sum());
        counter(text, "eventlog_serve_lines_rejected_total", "Lines rejected by the import rules.", rejected.sum());
        counter(text, "eventlog_serve_events_spooled_total", "Events written to the spool while the store failed.",
                spooled.sum());
        long[] window;
        long n = count.get();
        synchronized (recentNanos) {
            window = Arrays.copyOf(recentNanos, (int) Math.min(n, WINDOW));
        }
        Arrays.sort(window);
        text.append("# HELP eventlog_serve_request_seconds Request latency (quantiles over the last ")
                .append(WINDOW).append(" requests).\n# TYPE eventlog_serve_request_seconds summary\n");
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            double seconds = window.length == 0 ? 0 : window[Math.min(window.length - 1,
                    (int) Math.ceil(q * window.length) - 1)] / 1e9;
            text.append(String.format(Locale.ROOT, "eventlog_serve_request_seconds{quantile=\"%s\"} %.6f%n", q,
                    seconds));
        }
        text.append("eventlog_serve_request_seconds_count ").append(n).append('\n');
        text.append(String.format(Locale.ROOT, "eventlog_serve_request_seconds_sum %.6f%n", sumNanos.sum() / 1e9));
        text.append(extra);
        return text.toString();
    }

    static void counter(StringBuilder text, String name, String help, long value) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }

    static void gauge(StringBuilder text, String name, String help, long value) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }
}
