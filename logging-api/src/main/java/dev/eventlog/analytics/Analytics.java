package dev.eventlog.analytics;

import dev.eventlog.EventKind;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every analytics figure of one store over one time range, as defined by {@link EventAnalytics}.
 * Immutable and thread-safe; maps are unmodifiable and sorted by key. {@link #toJson()} gives the
 * stable JSON form that {@code eventlog stats --format json} prints.
 *
 * @param from the earliest time included, or {@code null} when open
 * @param until the first time excluded, or {@code null} when open
 * @param counts events per kind, every kind of the catalogue present (0 when none)
 * @param countsByDay events per UTC day and kind; days and kinds with no event are left out
 * @param routing routing decisions
 * @param selfHeal self-healing fixes
 * @param recovery error recoveries
 * @param sessions session outcomes
 * @param tools tool use
 * @param git git activity
 */
public record Analytics(Instant from, Instant until, Map<EventKind, Long> counts,
        SortedMap<LocalDate, Map<EventKind, Long>> countsByDay, Routing routing, SelfHeal selfHeal,
        Recovery recovery, Sessions sessions, Tools tools, Git git) {

    /** Copies the maps into unmodifiable ones; every kind gets a count. */
    public Analytics {
        Map<EventKind, Long> allKinds = new EnumMap<>(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            allKinds.put(kind, counts.getOrDefault(kind, 0L));
        }
        counts = Collections.unmodifiableMap(allKinds);
        SortedMap<LocalDate, Map<EventKind, Long>> days = new TreeMap<>();
        countsByDay.forEach((day, perKind) -> days.put(day, Collections.unmodifiableMap(new EnumMap<>(perKind))));
        countsByDay = Collections.unmodifiableSortedMap(days);
    }

    /** How many events in the range, all kinds together. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The JSON form: {@code {"from", "until", "counts", "counts_by_day", "analytics": {…}}}, keys sorted within maps. */
    public String toJson() {
        return AnalyticsJson.write(this);
    }

    /**
     * Routing decisions.
     *
     * @param events routing events in the range
     * @param accuracyPct share of them whose {@code accuracy} is true, or {@code null} when none
     * @param predictedModelCounts events per predicted model
     * @param accuracyPctByPredictedModel accuracy per predicted model
     * @param predictedActualCounts events per predicted model, then per actual model (the
     *     predicted-vs-actual matrix); events whose predicted or actual model is {@code null} are
     *     left out
     */
    public record Routing(long events, Double accuracyPct, Map<String, Long> predictedModelCounts,
            Map<String, Double> accuracyPctByPredictedModel, Map<String, Map<String, Long>> predictedActualCounts) {
        /** Copies the maps. */
        public Routing {
            predictedModelCounts = sorted(predictedModelCounts);
            accuracyPctByPredictedModel = sorted(accuracyPctByPredictedModel);
            SortedMap<String, Map<String, Long>> matrix = new TreeMap<>();
            predictedActualCounts.forEach((predicted, row) -> matrix.put(predicted, sorted(row)));
            predictedActualCounts = Collections.unmodifiableSortedMap(matrix);
        }

        /** Routing decisions without a predicted-vs-actual matrix (an empty one). */
        public Routing(long events, Double accuracyPct, Map<String, Long> predictedModelCounts,
                Map<String, Double> accuracyPctByPredictedModel) {
            this(events, accuracyPct, predictedModelCounts, accuracyPctByPredictedModel, Map.of());
        }
    }

    /**
     * Self-healing fixes.
     *
     * @param events self-heal events in the range
     * @param successPct share of them whose {@code success} is true, or {@code null} when none
     * @param successPctByPattern success per error pattern
     * @param countByPattern events per error pattern
     */
    public record SelfHeal(long events, Double successPct, Map<String, Double> successPctByPattern,
            Map<String, Long> countByPattern) {
        /** Copies the maps. */
        public SelfHeal {
            successPctByPattern = sorted(successPctByPattern);
            countByPattern = sorted(countByPattern);
        }
    }

    /**
     * Error recoveries.
     *
     * @param events recovery events in the range
     * @param successPct share of them whose {@code success} is true, or {@code null} when none
     * @param successPctByStrategy success per recovery strategy
     * @param countByStrategy events per recovery strategy
     * @param meanTimeToRecoverMs mean of the non-null {@code time_to_recover_ms}, or {@code null}
     */
    public record Recovery(long events, Double successPct, Map<String, Double> successPctByStrategy,
            Map<String, Long> countByStrategy, Double meanTimeToRecoverMs) {
        /** Copies the maps. */
        public Recovery {
            successPctByStrategy = sorted(successPctByStrategy);
            countByStrategy = sorted(countByStrategy);
        }
    }

    /**
     * Session outcomes.
     *
     * @param events session-outcome events in the range
     * @param outcomeCounts events per outcome
     * @param meanQuality mean of the non-null {@code quality}, or {@code null}
     * @param totalCostUsd sum of the non-null {@code cost_usd}, 0 when none
     */
    public record Sessions(long events, Map<String, Long> outcomeCounts, Double meanQuality, double totalCostUsd) {
        /** Copies the map. */
        public Sessions {
            outcomeCounts = sorted(outcomeCounts);
        }
    }

    /**
     * Tool use.
     *
     * @param events tool-use events in the range
     * @param successPct share of them whose {@code success} is true, or {@code null} when none
     * @param successPctByTool success per tool
     * @param countByTool events per tool
     * @param durationP50MsByTool nearest-rank median of each tool's non-null durations (tools with
     *     none are left out)
     * @param durationP95MsByTool nearest-rank 95th percentile of each tool's non-null durations
     */
    public record Tools(long events, Double successPct, Map<String, Double> successPctByTool,
            Map<String, Long> countByTool, Map<String, Long> durationP50MsByTool,
            Map<String, Long> durationP95MsByTool) {
        /** Copies the maps. */
        public Tools {
            successPctByTool = sorted(successPctByTool);
            countByTool = sorted(countByTool);
            durationP50MsByTool = sorted(durationP50MsByTool);
            durationP95MsByTool = sorted(durationP95MsByTool);
        }
    }

    /**
     * Git activity.
     *
     * @param commits git events whose {@code event_type} is {@code commit}
     * @param commitsByRepo commits per repository
     */
    public record Git(long commits, Map<String, Long> commitsByRepo) {
        /** Copies the map. */
        public Git {
            commitsByRepo = sorted(commitsByRepo);
        }
    }

    private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
