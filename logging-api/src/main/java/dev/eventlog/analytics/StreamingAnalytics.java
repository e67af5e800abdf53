package dev.eventlog.analytics;

import dev.eventlog.Event;
import dev.eventlog.GitEvent;
import dev.eventlog.RecoveryEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.SelfHealEvent;
import dev.eventlog.SessionOutcomeEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link EventAnalytics} computed in one pass over a store's {@link EventStore#read}: memory holds
 * one counter per group and day, and every tool duration (the percentiles need them all).
 * Thread-safe: each {@link #compute} has its own state.
 */
final class StreamingAnalytics implements EventAnalytics {
    private final EventStore store;

    /** Analytics over {@code store}'s events. */
    public StreamingAnalytics(EventStore store) {
        this.store = store;
    }

    @Override
    public Analytics compute(Instant from, Instant until) {
        AnalyticsTally tally = new AnalyticsTally();
        Map<String, Durations> durations = new HashMap<>();
        try (Stream<Event> events = store.read(EventQuery.all().between(from, until))) {
            events.forEach(event -> add(tally, durations, event));
        }
        durations.forEach((tool, values) -> {
            long[] sorted = values.sorted();
            tally.toolDurations(tool, nearestRank(sorted, 50), nearestRank(sorted, 95));
        });
        return tally.toAnalytics(from, until);
    }

    /**
     * The nearest-rank percentile {@code p} of ascending {@code sorted} values: {@code sorted[k-1]}
     * with {@code k = ceil(p * n / 100)}, computed in integers as {@code (p * n + 99) / 100} — the
     * same expression the SQL views use.
     */
    public static long nearestRank(long[] sorted, int p) {
        long rank = ((long) p * sorted.length + 99) / 100;
        return sorted[(int) Math.max(rank, 1) - 1];
    }

    private static void add(AnalyticsTally tally, Map<String, Durations> durations, Event event) {
        tally.events(event.kind(), LocalDate.ofInstant(event.ts(), ZoneOffset.UTC), 1);
        if (event instanceof RoutingMetricEvent routing) {
            tally.routing(routing.predictedModel(), 1, isTrue(routing.accuracy()));
            tally.routingOutcome(routing.predictedModel(), routing.actualModel(), 1);
        } else if (event instanceof SelfHealEvent selfHeal) {
            tally.selfHeal(selfHeal.errorPattern(), 1, isTrue(selfHeal.success()));
        } else if (event instanceof RecoveryEvent recovery) {
            Long time = recovery.timeToRecoverMs();
            tally.recovery(recovery.recoveryStrategy(), 1, isTrue(recovery.success()), time == null ? 0 : time,
                    time == null ? 0 : 1);
        } else if (event instanceof SessionOutcomeEvent session) {
            Double quality = session.quality();
            Double cost = session.costUsd();
            tally.sessions(session.outcome(), 1, quality == null ? 0 : quality, quality == null ? 0 : 1,
                    cost == null ? 0 : cost);
        } else if (event instanceof ToolUseEvent tool) {
            tally.tools(tool.toolName(), 1, isTrue(tool.success()));
            if (tool.toolName() != null && tool.durationMs() != null) {
                durations.computeIfAbsent(tool.toolName(), t -> new Durations()).add(tool.durationMs());
            }
        } else if (event instanceof GitEvent git && "commit".equals(git.eventType())) {
            tally.commits(git.repo(), 1);
        }
    }

    private static long isTrue(Boolean flag) {
        return Boolean.TRUE.equals(flag) ? 1 : 0;
    }

    /** A growable array of one tool's durations. */
    private static final class Durations {
        private long[] values = new long[16];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}
