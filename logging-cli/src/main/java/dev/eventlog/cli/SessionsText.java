package dev.eventlog.cli;

import dev.eventlog.analytics.AgentUsage;
import dev.eventlog.analytics.SessionQuality;
import dev.eventlog.analytics.SessionReport;
import dev.eventlog.analytics.SessionSummary;
import dev.eventlog.analytics.WorkflowPattern;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text form of {@code eventlog sessions} and {@code eventlog session}: small tables, rates in
 * percent with one decimal, means with one decimal (the JSON form has them in full).
 */
final class SessionsText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private SessionsText() {
    }

    static String render(SessionReport report, String store, Instant since, Instant until, long shownOf) {
        StringBuilder out = new StringBuilder();
        out.append("Sessions of ").append(store).append(", last event ").append(range(since, until)).append("\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (SessionSummary s : report.sessions()) {
            rows.add(List.of(s.sessionId(), TIME.format(s.lastTs()), Long.toString(s.events()),
                    Long.toString(s.toolCalls()), Long.toString(s.toolFailures()), rate(s.toolSuccessRate()),
                    text(s.outcome()), number(s.successScore()), text(s.workflow())));
        }
        table(out, "Sessions (" + report.sessions().size() + " of " + shownOf + ", latest first)",
                List.of("session", "last event", "events", "tools", "failed", "tool success", "outcome", "score",
                        "workflow"), rows);

        List<List<String>> workflows = new ArrayList<>();
        for (WorkflowPattern w : report.workflows()) {
            workflows.add(List.of(w.workflow(), Long.toString(w.sessions()), number(w.meanSuccessScore())));
        }
        table(out, "Workflows (" + report.workflows().size() + ")", List.of("workflow", "sessions", "mean score"),
                workflows);

        List<List<String>> agents = new ArrayList<>();
        for (AgentUsage a : report.agents()) {
            StringBuilder actions = new StringBuilder();
            a.actions().forEach((action, n) -> actions.append(actions.length() == 0 ? "" : ", ").append(action)
                    .append(' ').append(n));
            agents.add(List.of(a.agentId(), Long.toString(a.events()), actions.toString(),
                    number(a.meanDurationMs()), Long.toString(a.sessions())));
        }
        table(out, "Agents (" + report.agents().size() + ")",
                List.of("agent", "events", "actions", "mean duration ms", "sessions"), agents);

        SessionQuality q = report.quality();
        out.append("Quality: ").append(q.sessions()).append(" sessions, ").append(q.scored()).append(" scored; mean ")
                .append(number(q.mean())).append(", median ").append(number(q.median())).append(", p90 ")
                .append(number(q.p90())).append("; high (>= 80) ").append(q.high()).append(", medium (>= 50) ")
                .append(q.medium()).append(", low (< 50) ").append(q.low()).append('\n');
        return out.toString();
    }

    static String render(SessionSummary s) {
        List<List<String>> rows = List.of(
                List.of("session_id", s.sessionId()),
                List.of("first_ts", TIME.format(s.firstTs())),
                List.of("last_ts", TIME.format(s.lastTs())),
                List.of("events", Long.toString(s.events())),
                List.of("tool_calls", Long.toString(s.toolCalls())),
                List.of("tool_failures", Long.toString(s.toolFailures())),
                List.of("tool_success_rate", rate(s.toolSuccessRate())),
                List.of("distinct_tools", Long.toString(s.distinctTools())),
                List.of("outcome", text(s.outcome())),
                List.of("quality", s.quality() == null ? "-" : s.quality().toString()),
                List.of("cost_usd", s.costUsd() == null ? "-" : s.costUsd().toString()),
                List.of("model", text(s.model())),
                List.of("messages_count", s.messagesCount() == null ? "-" : s.messagesCount().toString()),
                List.of("workflow", text(s.workflow())),
                List.of("success_score", number(s.successScore()) + (s.tier() == null ? "" : " (" + s.tier() + ")")));
        StringBuilder out = new StringBuilder();
        table(out, "Session " + s.sessionId(), List.of("field", "value"), rows);
        return out.toString();
    }

    private static String range(Instant since, Instant until) {
        if (since == null && until == null) {
            return "at any time";
        }
        return (since == null ? "" : "from " + since + " ") + (until == null ? "" : "until " + until);
    }

    private static String rate(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * value);
    }

    private static String number(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String text(String value) {
        return value == null ? "-" : value;
    }

    private static void table(StringBuilder out, String title, List<String> headers, List<List<String>> rows) {
        TextTable.append(out, title, headers, rows, false);
    }
}
