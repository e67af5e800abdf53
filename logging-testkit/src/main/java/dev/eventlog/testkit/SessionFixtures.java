package dev.eventlog.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eventlog.ActivityEvent;
import dev.eventlog.CoordinatorEvent;
import dev.eventlog.Envelope;
import dev.eventlog.Event;
import dev.eventlog.GitEvent;
import dev.eventlog.Ids;
import dev.eventlog.SessionOutcomeEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.analytics.AgentUsage;
import dev.eventlog.analytics.SessionQuality;
import dev.eventlog.analytics.SessionReport;
import dev.eventlog.analytics.WorkflowPattern;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Sessions with the edge cases of the session definitions (README, "Sessions"), and their
 * expected figures worked out by hand. Eight sessions, latest first:
 * <ul>
 *   <li>{@code s-none}: one activity event at T+10 s — no tool call, no outcome, no score;</li>
 *   <li>{@code s-one}: one {@code success} outcome at T+10 s (the same time as {@code s-none}, so
 *       the list orders the two by id) — score 100.0;</li>
 *   <li>{@code s-mid2}: Read, Edit, Bash all succeeding, no outcome — score 100.0;</li>
 *   <li>{@code s-mid}: Read ok, Edit ok, Bash failed, {@code partial}, quality 0.6, one coordinator
 *       event — rate 2/3, score 59.2;</li>
 *   <li>{@code s-low}: Bash failed twice, {@code error}, quality −0.5 (clamped to 0) — score 0.0;</li>
 *   <li>{@code s-long}: tools A, B, A, C, D, E, F — workflow {@code A>B>A>C>D}, score 100.0;</li>
 *   <li>{@code s-nulls}: a tool call with no name and no success, an outcome with every field null
 *       — every figure null;</li>
 *   <li>{@code s-ties}: a git event, then Read ok; Bash ok and Edit failed at the same millisecond
 *       (Bash's id sorts first as text, Edit's first as a signed number); Edit ok; a call with no
 *       name; two outcomes at one millisecond, {@code failure} then {@code partial} quality 1.4 by
 *       id (clamped to 1); two coordinator events — workflow {@code Read>Bash>Edit}, rate 3/4, score 72.5.</li>
 * </ul>
 * Besides, events without a session (ignored) and coordinator events of agents {@code planner}
 * and {@code coder} and of no agent.
 */
public final class SessionFixtures {
    /** The time the fixtures start from. */
    public static final Instant T = SampleEvents.T0;

    private SessionFixtures() {
    }

    /** Every fixture event, in no particular order. */
    public static List<Event> events() {
        List<Event> e = new ArrayList<>();
        // s-ties
        e.add(new GitEvent(env("s-ties", -5000), "commit", "r", "main", "abc", "m", null, null, null, null, null));
        e.add(tool("s-ties", 0, "Read", true));
        e.add(tool(new Envelope(UUID.fromString("80000000-0000-7000-8000-000000000001"), at(1000), "s-ties", null,
                Map.of()), "Edit", false));
        e.add(tool(new Envelope(UUID.fromString("10000000-0000-7000-8000-000000000001"), at(1000), "s-ties", null,
                Map.of()), "Bash", true));
        e.add(tool("s-ties", 2000, "Edit", true));
        e.add(tool("s-ties", 2500, null, null));
        e.add(new SessionOutcomeEvent(new Envelope(UUID.fromString("70000000-0000-7000-8000-000000000001"), at(3000),
                "s-ties", null, Map.of()), "failure", 0.2, null, null, "m0", 3L, null, 9.0, false, null));
        e.add(new SessionOutcomeEvent(new Envelope(UUID.fromString("a0000000-0000-7000-8000-000000000001"), at(3000),
                "s-ties", null, Map.of()), "partial", 1.4, null, null, "m1", 12L, null, 0.5, true, null));
        e.add(coordinator("s-ties", 3500, "planner", "spawn", 100L));
        e.add(coordinator("s-ties", 3600, "planner", "complete", null));
        // s-nulls
        e.add(tool("s-nulls", 4000, null, null));
        e.add(outcome("s-nulls", 4100, null, null));
        // s-long
        String[] names = {"A", "B", "A", "C", "D", "E", "F"};
        for (int i = 0; i < names.length; i++) {
            e.add(tool("s-long", 5000 + i, names[i], true));
        }
        // s-low
        e.add(tool("s-low", 6000, "Bash", false));
        e.add(tool("s-low", 6001, "Bash", false));
        e.add(outcome("s-low", 6002, "error", -0.5));
        // s-mid
        e.add(tool("s-mid", 7000, "Read", true));
        e.add(tool("s-mid", 7001, "Edit", true));
        e.add(tool("s-mid", 7002, "Bash", false));
        e.add(outcome("s-mid", 7003, "partial", 0.6));
        e.add(coordinator("s-mid", 7004, "planner", "spawn", 300L));
        // s-mid2
        e.add(tool("s-mid2", 8000, "Read", true));
        e.add(tool("s-mid2", 8001, "Edit", true));
        e.add(tool("s-mid2", 8002, "Bash", true));
        // s-none, s-one
        e.add(new ActivityEvent(env("s-none", 10_000), "edit", null, null));
        e.add(outcome("s-one", 10_000, "success", null));
        // no session
        e.add(tool(null, 500, "Grep", false));
        e.add(outcome(null, 600, "failure", 0.0));
        e.add(coordinator(null, 9000, "planner", "fail", 200L));
        e.add(coordinator(null, 9001, null, "spawn", 50L));
        e.add(coordinator(null, 9002, "coder", null, null));
        return e;
    }

    /**
     * Events of {@code sessions} generated sessions ({@code g-0}, {@code g-1}, …) that test keeping
     * the figures current as events arrive: 1 to 14 tool calls each among three names and nulls, on
     * few distinct times (so many ties, ordered by id), successes true, false and null, zero to two
     * outcomes at tied times, and a git or activity event now and then. The same {@code seed} gives
     * the same events.
     */
    public static List<Event> tangled(int sessions, long seed) {
        Random random = new Random(seed);
        String[] names = {"Read", "Edit", "Bash", null};
        Boolean[] successes = {true, true, false, null};
        String[] outcomes = {"success", "partial", "failure", null};
        List<Event> e = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            String session = "g-" + s;
            long base = 20_000 + s * 100L;
            int tools = 1 + random.nextInt(14);
            for (int i = 0; i < tools; i++) {
                e.add(tool(new Envelope(new UUID(random.nextLong(), random.nextLong()), at(base + random.nextInt(6)),
                        session, null, Map.of()), names[random.nextInt(names.length)], successes[random.nextInt(4)]));
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                e.add(new SessionOutcomeEvent(new Envelope(new UUID(random.nextLong(), random.nextLong()),
                        at(base + 3), session, null, Map.of()), outcomes[random.nextInt(4)],
                        random.nextInt(5) == 0 ? null : random.nextInt(13) / 10.0 - 0.1, null, null, "m" + i,
                        (long) random.nextInt(50), null, random.nextInt(100) / 10.0, random.nextBoolean(), null));
            }
            if (random.nextInt(3) == 0) {
                e.add(new ActivityEvent(env(session, base - 50 + random.nextInt(120)), "edit", null, null));
            }
            if (random.nextInt(3) == 0) {
                e.add(new GitEvent(env(session, base + random.nextInt(10)), "commit", "r", "main", "abc", "m", null, null,
                        null, null, null));
            }
        }
        return e;
    }

    /**
     * Events that arrive after {@link #events()}: {@code s-none} (one activity event at T+10 s) gains
     * a successful {@code Grep}, a failed {@code Read} and a {@code success} outcome at T+11 s to
     * T+11.002 s — 4 events, rate 0.5, workflow {@code Grep>Read}, score 73.3 — and a new session
     * {@code s-new} has one successful {@code Bash} call at T+12 s — score 100.0.
     */
    public static List<Event> later() {
        return List.of(tool("s-none", 11_000, "Grep", true), tool("s-none", 11_001, "Read", false),
                outcome("s-none", 11_002, "success", null), tool("s-new", 12_000, "Bash", true));
    }

    /** {@code T} plus {@code ms} milliseconds. */
    public static Instant at(long ms) {
        return T.plusMillis(ms);
    }

    /** The session ids, latest first, as {@code sessions(null, null, 0)} lists them. */
    public static final List<String> ORDER = List.of("s-none", "s-one", "s-mid2", "s-mid", "s-low", "s-long", "s-nulls",
            "s-ties");

    /** The expected quality of all eight sessions. */
    public static final SessionQuality QUALITY = new SessionQuality(8, 6, 431.7 / 6, 86.25, 100.0, 3, 2, 1);

    /** The expected workflow patterns. */
    public static final List<WorkflowPattern> WORKFLOWS = List.of(new WorkflowPattern("Read>Edit>Bash", 2, 79.6),
            new WorkflowPattern("A>B>A>C>D", 1, 100.0), new WorkflowPattern("Bash", 1, 0.0),
            new WorkflowPattern("Read>Bash>Edit", 1, 72.5));

    /** The expected agent usage. */
    public static final List<AgentUsage> AGENTS = List.of(new AgentUsage("coder", 1, Map.of(), null, 0),
            new AgentUsage("planner", 4, Map.of("complete", 1L, "fail", 1L, "spawn", 2L), 200.0, 2));

    /**
     * Asserts that two reports give the same figures: everything exactly but the means, which may
     * differ in the last bits between stores.
     */
    public static void assertSameReport(SessionReport actual, SessionReport expected) {
        assertThat(actual.sessions()).as("sessions").isEqualTo(expected.sessions());
        assertSameWorkflows(actual.workflows(), expected.workflows());
        assertThat(actual.agents()).as("agents").isEqualTo(expected.agents());
        assertSameQuality(actual.quality(), expected.quality());
    }

    /** Asserts the same workflows, in the same order, means within 1e-9. */
    public static void assertSameWorkflows(List<WorkflowPattern> actual, List<WorkflowPattern> expected) {
        assertThat(actual).as("workflows").extracting(WorkflowPattern::workflow)
                .containsExactlyElementsOf(expected.stream().map(WorkflowPattern::workflow).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).sessions()).as(expected.get(i).workflow()).isEqualTo(expected.get(i).sessions());
            assertClose(actual.get(i).meanSuccessScore(), expected.get(i).meanSuccessScore(),
                    "mean score of " + expected.get(i).workflow());
        }
    }

    /** Asserts the same quality, the mean within 1e-9, everything else exactly. */
    public static void assertSameQuality(SessionQuality actual, SessionQuality expected) {
        assertThat(actual).as("quality").usingRecursiveComparison().ignoringFields("mean").isEqualTo(expected);
        assertClose(actual.mean(), expected.mean(), "mean score");
    }

    private static void assertClose(Double actual, Double expected, String what) {
        if (expected == null) {
            assertThat(actual).as(what).isNull();
        } else {
            assertThat(actual).as(what).isNotNull().isCloseTo(expected, within(1e-9));
        }
    }

    private static Envelope env(String session, long ms) {
        return new Envelope(Ids.next(at(ms).toEpochMilli()), at(ms), session, null, Map.of());
    }

    private static ToolUseEvent tool(String session, long ms, String name, Boolean success) {
        return tool(env(session, ms), name, success);
    }

    private static ToolUseEvent tool(Envelope envelope, String name, Boolean success) {
        return new ToolUseEvent(envelope, name, "builtin", success, null, 10L, null, null);
    }

    private static SessionOutcomeEvent outcome(String session, long ms, String outcome, Double quality) {
        return new SessionOutcomeEvent(env(session, ms), outcome, quality, null, null, null, null, null, null, null, null);
    }

    private static CoordinatorEvent coordinator(String session, long ms, String agent, String action, Long durationMs) {
        return new CoordinatorEvent(env(session, ms), agent, action, null, null, null, durationMs, null);
    }
}
