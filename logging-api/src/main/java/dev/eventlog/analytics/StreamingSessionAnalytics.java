package dev.eventlog.analytics;

import dev.eventlog.CoordinatorEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.SessionOutcomeEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@link SessionAnalytics} computed by reading a store's events: each question reads every event
 * once and keeps one tally per session (its named tool calls included, as the workflow needs them
 * in time-then-id order whatever order the store reads in). Thread-safe: each call has its own state.
 */
final class StreamingSessionAnalytics implements SessionAnalytics {
    /** Time, then id as text (lowercase hex: the order of SQLite's TEXT and PostgreSQL's uuid). */
    private static final Comparator<Event> TIME_THEN_ID = Comparator.comparing(Event::ts)
            .thenComparing(event -> event.id().toString());
    private static final int WORKFLOW_STEPS = 5;

    private final EventStore store;

    StreamingSessionAnalytics(EventStore store) {
        this.store = store;
    }

    @Override
    public Optional<SessionSummary> session(String sessionId) {
        if (sessionId == null) {
            return Optional.empty();
        }
        return summaries(sessionId::equals).stream().findFirst();
    }

    @Override
    public List<SessionSummary> sessions(Instant from, Instant until, int limit) {
        List<SessionSummary> inRange = inRange(from, until);
        inRange.sort(Comparator.comparing(SessionSummary::lastTs).reversed()
                .thenComparing(SessionSummary::sessionId, StreamingSessionAnalytics::byCodePoint));
        return limit > 0 && inRange.size() > limit ? new ArrayList<>(inRange.subList(0, limit)) : inRange;
    }

    @Override
    public List<WorkflowPattern> workflows(Instant from, Instant until) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, Double> sums = new HashMap<>();
        for (SessionSummary session : inRange(from, until)) {
            if (session.workflow() == null) {
                continue;
            }
            long[] c = counts.computeIfAbsent(session.workflow(), w -> new long[2]);
            c[0]++;
            if (session.successScore() != null) {
                c[1]++;
                sums.merge(session.workflow(), session.successScore(), Double::sum);
            }
        }
        List<WorkflowPattern> patterns = new ArrayList<>();
        counts.forEach((workflow, c) -> patterns.add(new WorkflowPattern(workflow, c[0],
                c[1] == 0 ? null : sums.get(workflow) / c[1])));
        patterns.sort(Comparator.comparingLong(WorkflowPattern::sessions).reversed()
                .thenComparing(WorkflowPattern::workflow));
        return patterns;
    }

    @Override
    public List<AgentUsage> agents(Instant from, Instant until) {
        Map<String, Agent> agents = new TreeMap<>();
        try (Stream<Event> events = store.read(EventQuery.of(EventKind.COORDINATOR).between(from, until))) {
            events.forEach(event -> {
                CoordinatorEvent coordinator = (CoordinatorEvent) event;
                if (coordinator.agentId() == null) {
                    return;
                }
                Agent agent = agents.computeIfAbsent(coordinator.agentId(), id -> new Agent());
                agent.events++;
                if (coordinator.action() != null) {
                    agent.actions.merge(coordinator.action(), 1L, Long::sum);
                }
                if (coordinator.durationMs() != null) {
                    agent.durationSum += coordinator.durationMs();
                    agent.durations++;
                }
                if (coordinator.sessionId() != null) {
                    agent.sessions.add(coordinator.sessionId());
                }
            });
        }
        List<AgentUsage> usage = new ArrayList<>();
        agents.forEach((id, agent) -> usage.add(new AgentUsage(id, agent.events, agent.actions,
                agent.durations == 0 ? null : (double) agent.durationSum / agent.durations, agent.sessions.size())));
        return usage;
    }

    @Override
    public List<String> failingTools(String sessionId) {
        java.util.SortedSet<String> failing = new java.util.TreeSet<>();
        try (Stream<Event> events = store.read(EventQuery.of(EventKind.TOOL_USE))) {
            events.forEach(event -> {
                ToolUseEvent tool = (ToolUseEvent) event;
                if (tool.toolName() != null && Boolean.FALSE.equals(tool.success())
                        && tool.sessionId() != null && tool.sessionId().equals(sessionId)) {
                    failing.add(tool.toolName());
                }
            });
        }
        return new ArrayList<>(failing);
    }

    @Override
    public SessionQuality quality(Instant from, Instant until) {
        List<SessionSummary> sessions = inRange(from, until);
        double[] scores = sessions.stream().map(SessionSummary::successScore).filter(s -> s != null)
                .mapToDouble(Double::doubleValue).sorted().toArray();
        int n = scores.length;
        long high = 0;
        long medium = 0;
        long low = 0;
        double sum = 0;
        for (double score : scores) {
            sum += score;
            switch (SessionScore.tier(score)) {
                case "high" -> high++;
                case "medium" -> medium++;
                default -> low++;
            }
        }
        Double mean = n == 0 ? null : sum / n;
        Double median = n == 0 ? null : (scores[(n + 1) / 2 - 1] + scores[(n + 2) / 2 - 1]) / 2;
        Double p90 = n == 0 ? null : scores[(9 * n + 9) / 10 - 1];
        return new SessionQuality(sessions.size(), n, mean, median, p90, high, medium, low);
    }

    /**
     * Text in code point order, which is UTF-8 byte order: how SQLite (BINARY) and PostgreSQL
     * ({@code COLLATE "C"}) order it. {@link String#compareTo} differs for characters beyond U+FFFF.
     */
    static int byCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private List<SessionSummary> inRange(Instant from, Instant until) {
        EventQuery range = EventQuery.all().between(from, until);
        return summaries(id -> true).stream().filter(s -> range.contains(s.lastTs()))
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    private List<SessionSummary> summaries(Predicate<String> wanted) {
        Map<String, Tally> sessions = new HashMap<>();
        try (Stream<Event> events = store.read(EventQuery.all())) {
            events.forEach(event -> {
                String id = event.sessionId();
                if (id != null && wanted.test(id)) {
                    sessions.computeIfAbsent(id, k -> new Tally()).add(event);
                }
            });
        }
        List<SessionSummary> summaries = new ArrayList<>(sessions.size());
        sessions.forEach((id, tally) -> summaries.add(tally.summary(id)));
        return summaries;
    }

    /** What one session's events add up to so far. */
    private static final class Tally {
        Instant first;
        Instant last;
        long events;
        long toolCalls;
        long toolSuccesses;
        long toolFailures;
        final Set<String> tools = new HashSet<>();
        final List<ToolUseEvent> namedCalls = new ArrayList<>();
        SessionOutcomeEvent lastOutcome;

        void add(Event event) {
            events++;
            if (first == null || event.ts().isBefore(first)) {
                first = event.ts();
            }
            if (last == null || event.ts().isAfter(last)) {
                last = event.ts();
            }
            if (event instanceof ToolUseEvent tool) {
                toolCalls++;
                if (Boolean.TRUE.equals(tool.success())) {
                    toolSuccesses++;
                } else if (Boolean.FALSE.equals(tool.success())) {
                    toolFailures++;
                }
                if (tool.toolName() != null) {
                    tools.add(tool.toolName());
                    namedCalls.add(tool);
                }
            } else if (event instanceof SessionOutcomeEvent outcome
                    && (lastOutcome == null || TIME_THEN_ID.compare(outcome, lastOutcome) > 0)) {
                lastOutcome = outcome;
            }
        }

        SessionSummary summary(String id) {
            Double rate = toolSuccesses + toolFailures == 0 ? null
                    : (double) toolSuccesses / (toolSuccesses + toolFailures);
            SessionOutcomeEvent o = lastOutcome;
            String outcome = o == null ? null : o.outcome();
            Double quality = o == null ? null : o.quality();
            return new SessionSummary(id, first, last, events, toolCalls, toolFailures, rate, tools.size(), outcome,
                    quality, o == null ? null : o.costUsd(), o == null ? null : o.model(),
                    o == null ? null : o.messagesCount(), workflow(), SessionScore.score(rate, outcome, quality));
        }

        private String workflow() {
            if (namedCalls.isEmpty()) {
                return null;
            }
            ToolUseEvent[] calls = namedCalls.toArray(new ToolUseEvent[0]);
            Arrays.sort(calls, TIME_THEN_ID);
            List<String> steps = new ArrayList<>(WORKFLOW_STEPS);
            String previous = null;
            for (ToolUseEvent call : calls) {
                if (!call.toolName().equals(previous)) {
                    steps.add(call.toolName());
                    if (steps.size() == WORKFLOW_STEPS) {
                        break;
                    }
                }
                previous = call.toolName();
            }
            return String.join(">", steps);
        }
    }

    /** One agent's counts so far. */
    private static final class Agent {
        long events;
        final Map<String, Long> actions = new HashMap<>();
        long durationSum;
        long durations;
        final Set<String> sessions = new HashSet<>();
    }
}
