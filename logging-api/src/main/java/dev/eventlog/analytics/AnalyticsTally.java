package dev.eventlog.analytics;

import dev.eventlog.EventKind;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up analytics figures group by group and turns them into an {@link Analytics}, so that the
 * streaming pass (one event at a time) and the SQL stores (one row per group) share the
 * definitions of {@link dev.eventlog.analytics.EventAnalytics}: an event with a {@code null} group
 * counts in the overall figures only, rates are {@code 100 * true / all}, means are
 * {@code sum / non-null count}. Not thread-safe.
 */
public final class AnalyticsTally {
    private final Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
    private final Map<LocalDate, Map<EventKind, Long>> countsByDay = new TreeMap<>();
    private final Rates routing = new Rates();
    private final Map<String, Map<String, Long>> routingMatrix = new HashMap<>();
    private final Rates selfHeal = new Rates();
    private final Rates recovery = new Rates();
    private final Rates tools = new Rates();
    private long recoveryTimeSum;
    private long recoveryTimeCount;
    private long sessionEvents;
    private final Map<String, Long> outcomes = new HashMap<>();
    private double qualitySum;
    private long qualityCount;
    private double costSum;
    private final Map<String, Long> p50 = new HashMap<>();
    private final Map<String, Long> p95 = new HashMap<>();
    private long commits;
    private final Map<String, Long> commitsByRepo = new HashMap<>();

    /** Adds {@code n} events of {@code kind} on {@code day}. */
    public void events(EventKind kind, LocalDate day, long n) {
        counts.merge(kind, n, Long::sum);
        countsByDay.computeIfAbsent(day, d -> new EnumMap<>(EventKind.class)).merge(kind, n, Long::sum);
    }

    /** Adds {@code n} routing events predicting {@code model} (or {@code null}), {@code accurate} of them accurate. */
    public void routing(String model, long n, long accurate) {
        routing.add(model, n, accurate);
    }

    /**
     * Adds {@code n} routing events predicting {@code predicted} whose actual model was
     * {@code actual}; left out of the matrix when either is {@code null}.
     */
    public void routingOutcome(String predicted, String actual, long n) {
        if (predicted != null && actual != null) {
            routingMatrix.computeIfAbsent(predicted, p -> new HashMap<>()).merge(actual, n, Long::sum);
        }
    }

    /** Adds {@code n} self-heal events of {@code pattern} (or {@code null}), {@code succeeded} of them successful. */
    public void selfHeal(String pattern, long n, long succeeded) {
        selfHeal.add(pattern, n, succeeded);
    }

    /**
     * Adds {@code n} recoveries by {@code strategy} (or {@code null}), {@code succeeded} of them
     * successful, whose {@code timedCount} non-null times to recover add up to {@code timeSumMs}.
     */
    public void recovery(String strategy, long n, long succeeded, long timeSumMs, long timedCount) {
        recovery.add(strategy, n, succeeded);
        recoveryTimeSum += timeSumMs;
        recoveryTimeCount += timedCount;
    }

    /**
     * Adds {@code n} session outcomes {@code outcome} (or {@code null}) whose {@code qualityCount}
     * non-null qualities add up to {@code qualitySum} and whose non-null costs add up to {@code costUsd}.
     */
    public void sessions(String outcome, long n, double qualitySum, long qualityCount, double costUsd) {
        sessionEvents += n;
        if (outcome != null) {
            outcomes.merge(outcome, n, Long::sum);
        }
        this.qualitySum += qualitySum;
        this.qualityCount += qualityCount;
        costSum += costUsd;
    }

    /** Adds {@code n} uses of {@code tool} (or {@code null}), {@code succeeded} of them successful. */
    public void tools(String tool, long n, long succeeded) {
        tools.add(tool, n, succeeded);
    }

    /** Sets the duration percentiles of {@code tool}. */
    public void toolDurations(String tool, long p50Ms, long p95Ms) {
        p50.put(tool, p50Ms);
        p95.put(tool, p95Ms);
    }

    /** Adds {@code n} commits to {@code repo} (or {@code null}). */
    public void commits(String repo, long n) {
        commits += n;
        if (repo != null) {
            commitsByRepo.merge(repo, n, Long::sum);
        }
    }

    /** The figures added so far, for the range {@code [from, until)}. */
    public Analytics toAnalytics(Instant from, Instant until) {
        return new Analytics(from, until, counts, new TreeMap<>(countsByDay),
                new Analytics.Routing(routing.all, routing.pct(), routing.counts, routing.pcts(), routingMatrix),
                new Analytics.SelfHeal(selfHeal.all, selfHeal.pct(), selfHeal.pcts(), selfHeal.counts),
                new Analytics.Recovery(recovery.all, recovery.pct(), recovery.pcts(), recovery.counts,
                        recoveryTimeCount == 0 ? null : (double) recoveryTimeSum / recoveryTimeCount),
                new Analytics.Sessions(sessionEvents, outcomes, qualityCount == 0 ? null : qualitySum / qualityCount,
                        costSum),
                new Analytics.Tools(tools.all, tools.pct(), tools.pcts(), tools.counts, p50, p95),
                new Analytics.Git(commits, commitsByRepo));
    }

    /** The percentage {@code part} is of {@code whole}, or {@code null} when {@code whole} is 0. */
    public static Double pct(long part, long whole) {
        return whole == 0 ? null : 100.0 * part / whole;
    }

    /** Counts of events and of true flags, overall and per non-null group. */
    private static final class Rates {
        long all;
        long hits;
        final Map<String, Long> counts = new HashMap<>();
        final Map<String, Long> groupHits = new HashMap<>();

        void add(String group, long n, long hit) {
            all += n;
            hits += hit;
            if (group != null) {
                counts.merge(group, n, Long::sum);
                groupHits.merge(group, hit, Long::sum);
            }
        }

        Double pct() {
            return AnalyticsTally.pct(hits, all);
        }

        Map<String, Double> pcts() {
            Map<String, Double> pcts = new HashMap<>();
            counts.forEach((group, n) -> pcts.put(group, AnalyticsTally.pct(groupHits.get(group), n)));
            return pcts;
        }
    }
}
