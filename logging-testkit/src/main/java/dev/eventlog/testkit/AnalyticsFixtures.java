package dev.eventlog.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventlog.Envelope;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.Ids;
import dev.eventlog.analytics.Analytics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Events whose analytics are known by hand (null flags, null groups, null values, percentiles),
 * and the comparisons the analytics contract makes: against {@code expected.json} and between
 * two computations of the same store.
 */
public final class AnalyticsFixtures {
    /** expected.json rounds to 4 decimals. */
    public static final double EXPECTED_JSON_TOLERANCE = 1e-4;

    private AnalyticsFixtures() {
    }

    /**
     * An event of {@code kind} at {@code ts} with the typed field values given in column order.
     * Prefer {@link #eventWith}, which names each value.
     */
    public static Event event(EventKind kind, Instant ts, Object... values) {
        return kind.create(new Envelope(Ids.next(ts.toEpochMilli()), ts, null, null, Map.of()), values);
    }

    /**
     * An event of {@code kind} at {@code ts} whose typed fields are given by name, e.g.
     * {@code eventWith(EventKind.SELF_HEAL, ts, "error_pattern", "a", "success", true)}; the others
     * are null. A name the kind does not declare fails the test set-up, naming it.
     */
    public static Event eventWith(EventKind kind, Instant ts, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs, but got " + namesAndValues.length);
        }
        Object[] values = new Object[kind.fields().size()];
        for (int i = 0; i < namesAndValues.length; i += 2) {
            int index = kind.indexOf((String) namesAndValues[i]);
            if (index < 0) {
                throw new IllegalArgumentException(kind.key() + " has no field '" + namesAndValues[i] + "'");
            }
            values[index] = namesAndValues[i + 1];
        }
        return event(kind, ts, values);
    }

    /**
     * Self-heal: pattern {@code a} true/false/null, a null pattern that succeeded, {@code b} true.
     * Overall 3 of 5 = 60 %; {@code a} 1 of 3; {@code b} 100 %; no entry for the null pattern.
     */
    public static List<Event> selfHeals(Instant t) {
        return List.of(
                selfHeal(t, "a", true), selfHeal(t.plusMillis(1), "a", false), selfHeal(t.plusMillis(2), "a", null),
                selfHeal(t.plusMillis(3), null, true), selfHeal(t.plusMillis(4), "b", true));
    }

    private static Event selfHeal(Instant ts, String pattern, Boolean success) {
        return eventWith(EventKind.SELF_HEAL, ts, "error_pattern", pattern, "success", success);
    }

    /**
     * Recovery: {@code retry} true (100 ms), null (no time), false (300 ms); a null strategy true
     * (200 ms). Overall 2 of 4 = 50 %; {@code retry} 1 of 3; mean time 200 ms (nulls skipped).
     */
    public static List<Event> recoveries(Instant t) {
        return List.of(
                recovery(t, "retry", true, 100L), recovery(t.plusMillis(1), "retry", null, null),
                recovery(t.plusMillis(2), "retry", false, 300L), recovery(t.plusMillis(3), null, true, 200L));
    }

    private static Event recovery(Instant ts, String strategy, Boolean success, Long timeMs) {
        return eventWith(EventKind.RECOVERY, ts, "recovery_strategy", strategy, "success", success,
                "time_to_recover_ms", timeMs);
    }

    /**
     * Routing (predicted, actual, accuracy): opus/opus/true, opus/sonnet/false, opus/null/null,
     * null/opus/true, haiku/haiku/true. Accuracy 3 of 5 = 60 %; predicted opus 3, haiku 1; the
     * predicted-vs-actual matrix opus {opus 1, sonnet 1}, haiku {haiku 1} (a null side is left out).
     */
    public static List<Event> routings(Instant t) {
        return List.of(
                routing(t, "opus", "opus", true), routing(t.plusMillis(1), "opus", "sonnet", false),
                routing(t.plusMillis(2), "opus", null, null), routing(t.plusMillis(3), null, "opus", true),
                routing(t.plusMillis(4), "haiku", "haiku", true));
    }

    private static Event routing(Instant ts, String predicted, String actual, Boolean accurate) {
        return eventWith(EventKind.ROUTING_METRIC, ts, "predicted_model", predicted, "actual_model", actual,
                "accuracy", accurate);
    }

    /**
     * Sessions: success (0.5, $1.25), success (no quality, $2), error (0.25, no cost), null outcome
     * (1.0, $0.75). Outcomes success 2, error 1; mean quality 1.75 / 3; total cost $4.
     */
    public static List<Event> sessions(Instant t) {
        return List.of(
                session(t, "success", 0.5, 1.25), session(t.plusMillis(1), "success", null, 2.0),
                session(t.plusMillis(2), "error", 0.25, null), session(t.plusMillis(3), null, 1.0, 0.75));
    }

    private static Event session(Instant ts, String outcome, Double quality, Double cost) {
        return eventWith(EventKind.SESSION_OUTCOME, ts, "outcome", outcome, "quality", quality, "cost_usd", cost);
    }

    /**
     * Tools: Bash with durations 1..20 ms in shuffled order (one failed, one with a null flag) plus
     * one use with no duration: 19 of 21 succeeded, p50 10, p95 19. Read with 300 and 100 ms: p50
     * 100, p95 300. Grep failed once with no duration: 0 %, no percentiles. A use with no tool name
     * (counted overall only).
     */
    public static List<Event> tools(Instant t) {
        List<Long> durations = new ArrayList<>();
        for (long d = 1; d <= 20; d++) {
            durations.add(d);
        }
        Collections.shuffle(durations, new Random(11));
        List<Event> events = new ArrayList<>();
        int i = 0;
        for (long d : durations) {
            Boolean success = d == 7 ? Boolean.FALSE : d == 13 ? null : Boolean.TRUE;
            events.add(tool(t.plusMillis(i++), "Bash", success, d));
        }
        events.add(tool(t.plusMillis(i++), "Bash", true, null));
        events.add(tool(t.plusMillis(i++), "Read", true, 300L));
        events.add(tool(t.plusMillis(i++), "Read", true, 100L));
        events.add(tool(t.plusMillis(i++), "Grep", false, null));
        events.add(tool(t.plusMillis(i), null, true, 5L));
        return events;
    }

    private static Event tool(Instant ts, String name, Boolean success, Long durationMs) {
        return eventWith(EventKind.TOOL_USE, ts, "tool_name", name, "success", success, "duration_ms", durationMs);
    }

    /** Git: two commits to {@code a}, a commit with no repository, a push to {@code a}. Commits 3; {@code a} 2. */
    public static List<Event> gits(Instant t) {
        return List.of(git(t, "commit", "a"), git(t.plusMillis(1), "commit", "a"), git(t.plusMillis(2), "commit", null),
                git(t.plusMillis(3), "push", "a"));
    }

    private static Event git(Instant ts, String type, String repo) {
        return eventWith(EventKind.GIT, ts, "event_type", type, "repo", repo);
    }

    /** Every fixture above, starting at {@code t}. */
    public static List<Event> all(Instant t) {
        List<Event> events = new ArrayList<>();
        events.addAll(selfHeals(t));
        events.addAll(recoveries(t));
        events.addAll(routings(t));
        events.addAll(sessions(t));
        events.addAll(tools(t));
        events.addAll(gits(t));
        return events;
    }

    /**
     * {@code n} random events of the analysed kinds (and activities) at random milliseconds of the
     * {@code days} UTC days from {@code start}: null flags, groups and values among them, durations
     * from a few small values (many repeats) to wide, huge and negative ones, so that percentiles
     * fall in many buckets and distinct durations repeat.
     */
    public static List<Event> randomEvents(Random random, Instant start, int days, int n) {
        List<Event> events = new ArrayList<>(n);
        long span = days * 86_400_000L;
        for (int i = 0; i < n; i++) {
            Instant ts = start.plusMillis(Math.floorMod(random.nextLong(), span));
            events.add(switch (random.nextInt(7)) {
                case 0 -> eventWith(EventKind.ROUTING_METRIC, ts, "predicted_model", pick(random, "opus", "sonnet", "haiku"),
                        "actual_model", pick(random, "opus", "sonnet"), "accuracy", flag(random));
                case 1 -> eventWith(EventKind.SELF_HEAL, ts, "error_pattern", pick(random, "p0", "p1", "p2", "p3"),
                        "success", flag(random));
                case 2 -> eventWith(EventKind.RECOVERY, ts, "recovery_strategy", pick(random, "retry", "reset"),
                        "success", flag(random), "time_to_recover_ms", random.nextInt(5) == 0 ? null : (long) random.nextInt(5000));
                case 3 -> eventWith(EventKind.SESSION_OUTCOME, ts, "outcome", pick(random, "success", "error", "abandoned"),
                        "quality", random.nextInt(5) == 0 ? null : random.nextDouble(),
                        "cost_usd", random.nextInt(5) == 0 ? null : random.nextInt(10_000) / 100.0);
                case 4 -> eventWith(EventKind.GIT, ts, "event_type", random.nextInt(4) == 0 ? "push" : "commit",
                        "repo", pick(random, "r0", "r1", "r2"));
                case 5 -> eventWith(EventKind.ACTIVITY, ts, "activity_type", "edit");
                default -> eventWith(EventKind.TOOL_USE, ts, "tool_name", pick(random, "Bash", "Read", "Edit", "Grep"),
                        "success", flag(random), "duration_ms", duration(random));
            });
        }
        return events;
    }

    private static String pick(Random random, String... values) {
        int i = random.nextInt(values.length + 1);
        return i == values.length ? null : values[i];
    }

    private static Boolean flag(Random random) {
        int i = random.nextInt(5);
        return i == 0 ? null : i > 1;
    }

    private static Long duration(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> null;
            case 1 -> -1L - random.nextInt(1000);
            case 2 -> (1L << 40) + random.nextInt(1 << 20);
            case 3, 4, 5 -> (long) random.nextInt(12);
            case 6, 7 -> 900L + random.nextInt(300);
            default -> (long) random.nextInt(100_000);
        };
    }

    /** Asserts that {@code actual} holds expected.json's "counts" and "analytics", to its 4 decimals. */
    public static void assertMatchesExpectedJson(Analytics actual, JsonNode expected) {
        JsonNode counts = expected.get("counts");
        counts.fields().forEachRemaining(e -> assertThat(actual.counts().get(EventKind.fromKey(e.getKey()).orElseThrow()))
                .as("counts.%s", e.getKey()).isEqualTo(e.getValue().asLong()));
        JsonNode a = expected.get("analytics");
        assertPct("routing_accuracy_pct", actual.routing().accuracyPct(), a);
        assertThat(actual.routing().predictedModelCounts()).as("routing_predicted_model_counts")
                .isEqualTo(longs(a.get("routing_predicted_model_counts")));
        Map<String, Map<String, Long>> matrix = new TreeMap<>();
        a.get("routing_predicted_actual_counts").fields()
                .forEachRemaining(e -> matrix.put(e.getKey(), longs(e.getValue())));
        assertThat(actual.routing().predictedActualCounts()).as("routing_predicted_actual_counts").isEqualTo(matrix);
        assertPct("self_heal_success_pct", actual.selfHeal().successPct(), a);
        assertPcts("self_heal_success_pct_by_pattern", actual.selfHeal().successPctByPattern(), a);
        assertPct("recovery_success_pct", actual.recovery().successPct(), a);
        assertPcts("recovery_success_pct_by_strategy", actual.recovery().successPctByStrategy(), a);
        assertPct("recovery_mean_time_to_recover_ms", actual.recovery().meanTimeToRecoverMs(), a);
        assertThat(actual.sessions().outcomeCounts()).as("session_outcome_counts")
                .isEqualTo(longs(a.get("session_outcome_counts")));
        assertPct("session_mean_quality", actual.sessions().meanQuality(), a);
        assertPct("session_total_cost_usd", actual.sessions().totalCostUsd(), a);
        assertPcts("tool_success_pct_by_tool", actual.tools().successPctByTool(), a);
        assertThat(actual.git().commitsByRepo()).as("git_commits_by_repo")
                .isEqualTo(longs(a.get("git_commits_by_repo")));
    }

    private static void assertPct(String key, Double actual, JsonNode expected) {
        assertThat(actual).as(key).isNotNull().isCloseTo(expected.get(key).asDouble(), within(EXPECTED_JSON_TOLERANCE));
    }

    private static void assertPcts(String key, Map<String, Double> actual, JsonNode expected) {
        Map<String, Double> wanted = new TreeMap<>();
        expected.get(key).fields().forEachRemaining(e -> wanted.put(e.getKey(), e.getValue().asDouble()));
        assertThat(actual.keySet()).as(key).containsExactlyElementsOf(wanted.keySet());
        wanted.forEach((group, pct) -> assertThat(actual.get(group)).as("%s.%s", key, group)
                .isCloseTo(pct, within(EXPECTED_JSON_TOLERANCE)));
    }

    private static Map<String, Long> longs(JsonNode node) {
        Map<String, Long> values = new TreeMap<>();
        node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asLong()));
        return values;
    }

    /**
     * Asserts that two computations agree: every count, rate, percentile and integer mean exactly;
     * the mean quality and total cost (sums of real numbers, added in another order) to 1e-9.
     */
    public static void assertSameFigures(Analytics actual, Analytics expected) {
        assertThat(actual.from()).isEqualTo(expected.from());
        assertThat(actual.until()).isEqualTo(expected.until());
        assertThat(actual.counts()).isEqualTo(expected.counts());
        assertThat(actual.countsByDay()).isEqualTo(expected.countsByDay());
        assertThat(actual.routing()).isEqualTo(expected.routing());
        assertThat(actual.selfHeal()).isEqualTo(expected.selfHeal());
        assertThat(actual.recovery()).isEqualTo(expected.recovery());
        assertThat(actual.tools()).isEqualTo(expected.tools());
        assertThat(actual.git()).isEqualTo(expected.git());
        assertThat(actual.sessions().events()).isEqualTo(expected.sessions().events());
        assertThat(actual.sessions().outcomeCounts()).isEqualTo(expected.sessions().outcomeCounts());
        if (expected.sessions().meanQuality() == null) {
            assertThat(actual.sessions().meanQuality()).isNull();
        } else {
            assertThat(actual.sessions().meanQuality()).isCloseTo(expected.sessions().meanQuality(), within(1e-9));
        }
        assertThat(actual.sessions().totalCostUsd()).isCloseTo(expected.sessions().totalCostUsd(), within(1e-9));
    }
}
