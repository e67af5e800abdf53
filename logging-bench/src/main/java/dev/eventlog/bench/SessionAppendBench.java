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
 * {@code VALUES}) and of 1 000 ({@code COPY}), in rotating rounds of one run into one schema: with
 * session ids as the store writes them; the same with a rule that discards the inserts into
 * {@code session_dirty} (the statement still goes to the server: this isolates the rows' cost); and
 * the same events without a session id (which list nothing, but also fill the {@code session_id}
 * index with nulls only, so this ratio is a bound). The ratios of the medians are the figures. N is {@code bench.events} (200 000), rounds {@code bench.rounds} (5). SQLite's append path
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
            System.out.println("| batch | listed | inserts discarded | no session ids | listed / discarded | listed / no ids |");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            long serial = 0;
            for (int batch : new int[] {100, 1_000}) {
                List<List<Double>> runs = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                for (int round = 0; round <= rounds; round++) {
                    for (int variant = 0; variant < 3; variant++) {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("DELETE FROM session_dirty");
                            statement.execute(variant == 1
                                    ? "CREATE RULE session_dirty_discard AS ON INSERT TO session_dirty DO INSTEAD NOTHING"
                                    : "DROP RULE IF EXISTS session_dirty_discard ON session_dirty");
                        }
                        List<Event> events = events(serial++, total, variant < 2);
                        long t0 = System.nanoTime();
                        for (int from = 0; from < events.size(); from += batch) {
                            store.append(events.subList(from, Math.min(events.size(), from + batch)));
                        }
                        double perSecond = total / ((System.nanoTime() - t0) / 1e9);
                        if (round > 0) {
                            runs.get(variant).add(perSecond);
                        }
                    }
                }
                double listed = median(runs.get(0));
                double discarded = median(runs.get(1));
                double none = median(runs.get(2));
                System.out.printf(Locale.ROOT, "| %,d | %,.0f | %,.0f | %,.0f | %.2f | %.2f |%n", batch, listed,
                        discarded, none, listed / discarded, listed / none);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP RULE IF EXISTS session_dirty_discard ON session_dirty");
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
