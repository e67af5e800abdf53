package dev.eventlog.testkit;

import dev.eventlog.ActivityEvent;
import dev.eventlog.CoordinatorEvent;
import dev.eventlog.CustomEvent;
import dev.eventlog.Envelope;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.ExpertiseRoutingEvent;
import dev.eventlog.GitEvent;
import dev.eventlog.Ids;
import dev.eventlog.RecoveryEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.SelfHealEvent;
import dev.eventlog.SessionOutcomeEvent;
import dev.eventlog.ToolUseEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events for store tests: every kind with every field set, and the nasty text real logs hold. */
public final class SampleEvents {
    /** A fixed base time, so tests are repeatable. */
    public static final Instant T0 = Instant.parse("2026-01-28T06:00:00.123Z");

    /** Text that has broken naive stores: quotes, SQL, markup, control characters, every plane of Unicode. */
    public static final List<String> NASTY_TEXT = List.of(
            "Robert'); DROP TABLE git_events;--",
            "\"quoted\" and \\backslash\\ and 'single'",
            "line1\nline2\ttab\rcarriage",
            "<script>alert(1)</script> & &amp;",
            "emoji 🚀🔥 CJK 日本語 RTL עברית العربية combining é",
            "null byte→\uFFFD←",
            "{\"looks\": \"like json\"}",
            "",
            " leading and trailing spaces ");

    private SampleEvents() {
    }

    /** One event of every kind, every typed field and the envelope set, at {@code T0 + i} seconds. */
    public static List<Event> everyKind() {
        List<Event> events = new ArrayList<>();
        Instant t = T0;
        events.add(GitEvent.builder().ts(t).sessionId("s-1").source("host-a").eventType("commit").repo("claude-home")
                .branch("main").commitHash("4144498cdc48387188e6823d2b0d86d417840d5e").message("feat: add feature")
                .filesChanged(3).additions(120).deletions(4).author("dev1").commits(1).attribute("hook", "post-commit")
                .build());
        events.add(SelfHealEvent.builder().ts(t.plusSeconds(1)).errorPattern("git-username-typo")
                .fixApplied("Rewrote URL").success(true).executionTimeMs(42).errorMessage("Permission denied")
                .context("push").severity("high").build());
        events.add(RecoveryEvent.builder().ts(t.plusSeconds(2)).errorType("oom").recoveryStrategy("chmod +x")
                .success(false).attempts(3).timeToRecoverMs(12_585).errorDetails("killed").recoveryMethod("assisted")
                .build());
        events.add(RoutingMetricEvent.builder().ts(t.plusSeconds(3)).queryId("q-1").predictedModel("opus")
                .actualModel("sonnet").dqScore(0.86).complexity(0.103).accuracy(false).costSaved(0.0301)
                .reasoning("Moderate complexity").queryText("how do I fix the build").build());
        events.add(SessionOutcomeEvent.builder().ts(t.plusSeconds(4)).sessionId("s-000815").outcome("abandoned")
                .quality(0.01).complexity(0.21).intent("debug").model("sonnet").messagesCount(86)
                .durationMinutes(46.8).costUsd(2.2656).success(false).summary("Refactored the router").build());
        events.add(ToolUseEvent.builder().ts(t.plusSeconds(5)).toolName("Grep").toolType("builtin").success(true)
                .exitCode(0).durationMs(8105).filePaths(List.of("src/a.py", "src/b.py")).projectPath("/home/dev/x")
                .build());
        events.add(ActivityEvent.builder().ts(t.plusSeconds(6)).activityType("research").description("read docs")
                .projectPath("/home/dev/y").build());
        events.add(CoordinatorEvent.builder().ts(t.plusSeconds(7)).agentId("agent-7").action("spawn")
                .strategy("parallel").filePath("src/main.rs").result("ok").durationMs(1500).exitCode(0).build());
        events.add(ExpertiseRoutingEvent.builder().ts(t.plusSeconds(8)).domain("databases").expertiseLevel(0.75)
                .queryComplexity(0.4).chosenModel("opus").reasoning("deep domain").queryHash("ab12").build());
        events.add(CustomEvent.builder("deploy").ts(t.plusSeconds(9)).attribute("env", "prod")
                .attribute("replicas", 3).attribute("ratio", 0.25).attribute("ok", true)
                .attribute("tags", List.of("a", "b")).attribute("nested", Map.of("k", List.of(1, 2.5, "x")))
                .attribute("none", null).build());
        return events;
    }

    /** An event of {@code kind} at {@code ts} whose typed fields are all null. */
    public static Event empty(EventKind kind, Instant ts) {
        return kind.create(new Envelope(Ids.next(ts.toEpochMilli()), ts, null, null, Map.of()),
                new Object[kind.fields().size()]);
    }

    /** {@code count} activity events one second apart from {@code start}. */
    public static List<Event> activities(int count, Instant start) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(ActivityEvent.builder().ts(start.plusSeconds(i)).activityType("step")
                    .description("step " + i).build());
        }
        return events;
    }

    /** A map of attributes of every JSON shape. */
    public static Map<String, Object> jsonAttributes() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("string", "v");
        attributes.put("long", 9_007_199_254_740_993L);
        attributes.put("double", 0.1);
        attributes.put("true", true);
        attributes.put("null", null);
        attributes.put("list", List.of(1L, "two", 3.5, false));
        attributes.put("map", Map.of("inner", Map.of("deeper", List.of())));
        return attributes;
    }

    /** Events sorted by kind, then time, then id: the order SQL stores read in. */
    public static List<Event> sorted(List<? extends Event> events) {
        List<Event> copy = new ArrayList<>(events);
        copy.sort(Comparator.comparing(Event::kind).thenComparing(Event::ts).thenComparing(Event::id));
        return copy;
    }
}
