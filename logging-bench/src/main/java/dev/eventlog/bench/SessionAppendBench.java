package dev.eventlog.bench;

import dev.eventlog.Event;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.spi.EventStore;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What listing the sessions of each append in {@code session_dirty} costs a PostgreSQL append:
 * tool events (10 per session) appended through the store in batches of 100 (multi-row
 * {@code VALUES}) and of 1 000 ({@code COPY}), with session ids and, in alternating rounds of one
 * run into one schema, the same events without a session id (which list nothing); the ratio of the
 * medians is the figure. N is {@code bench.events} (200 000), rounds {@code bench.rounds} (5). SQLite's append path
 * does no session work at all, so it is not measured here.
 */
final class SessionAppendBench {
    private SessionAppendBench() {
    }

    static void run() throws Exception {
        int total = Integer.getInteger("bench.events", 200_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        String pgUrl = System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        try (Target target = Target.postgres(pgUrl, "session_append"); EventStore store = target.openStore();
                Connection connection = target.connect()) {
            System.out.printf(Locale.ROOT, "%,d tool events per round, 10 per session; median of %d rounds, events/s%n",
                    total, rounds);
            System.out.println("| batch | with sessions | without | with / without |");
            System.out.println("|---:|---:|---:|---:|");
            long serial = 0;
            for (int batch : new int[] {100, 1_000}) {
                List<Double> on = new ArrayList<>();
                List<Double> off = new ArrayList<>();
                for (int round = 0; round <= rounds; round++) {
                    for (boolean enabled : new boolean[] {true, false}) {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("DELETE FROM session_dirty");
                        }
                        List<Event> events = events(serial++, total, enabled);
                        long t0 = System.nanoTime();
                        for (int from = 0; from < events.size(); from += batch) {
                            store.append(events.subList(from, Math.min(events.size(), from + batch)));
                        }
                        double perSecond = total / ((System.nanoTime() - t0) / 1e9);
                        if (round > 0) {
                            (enabled ? on : off).add(perSecond);
                        }
                    }
                }
                double medianOn = median(on);
                double medianOff = median(off);
                System.out.printf(Locale.ROOT, "| %,d | %,.0f | %,.0f | %.2f |%n", batch, medianOn, medianOff,
                        medianOn / medianOff);
            }
        }
    }

    private static List<Event> events(long serial, int total, boolean withSessions) {
        List<Event> events = new ArrayList<>(total);
        Instant start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(serial * 86_400);
        for (int i = 0; i < total; i++) {
            events.add(ToolUseEvent.builder().ts(start.plusMillis(i)).sessionId(withSessions ? "r" + serial + "-" + i / 10 : null)
                    .toolName("tool-" + i % 8).toolType("builtin").success(i % 7 != 0).durationMs((long) i % 1000)
                    .build());
        }
        return events;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
