package dev.eventlog.cli.report;

import dev.eventlog.analytics.SessionQuality;
import dev.eventlog.analytics.SessionSummary;
import dev.eventlog.analytics.WorkflowPattern;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's "Session quality" section: the success-score tiers, the most common workflows with
 * their mean score, and the lowest-scoring recent sessions with their outcome and failing tools.
 * Immutable and thread-safe.
 *
 * @param quality the scores of every session of the range
 * @param workflows the most common workflows, most sessions first (the report shows up to ten)
 * @param lowest the lowest-scoring recent sessions, lowest first
 */
public record SessionsSection(SessionQuality quality, List<WorkflowPattern> workflows, List<LowSession> lowest) {
    /** How many workflows and low sessions the section shows. */
    public static final int SHOWN = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Copies the lists, keeping the first {@link #SHOWN} of each. */
    public SessionsSection {
        workflows = List.copyOf(workflows.subList(0, Math.min(SHOWN, workflows.size())));
        lowest = List.copyOf(lowest.subList(0, Math.min(SHOWN, lowest.size())));
    }

    /**
     * A low-scoring session and the tools that failed in it.
     *
     * @param session its summary
     * @param failingTools the distinct names of its failed tools, sorted
     */
    public record LowSession(SessionSummary session, List<String> failingTools) {
        /** Copies the list. */
        public LowSession {
            failingTools = List.copyOf(failingTools);
        }
    }

    void render(StringBuilder html) {
        html.append("<section id=\"session-quality\"><h2>Session quality</h2><div class=\"cards\">");
        card(html, Html.count(quality.sessions()), "sessions");
        card(html, Html.count(quality.scored()), "with a success score");
        card(html, Html.number(quality.mean(), 1), "mean score");
        card(html, Html.number(quality.median(), 1), "median score");
        card(html, Html.number(quality.p90(), 1), "90th percentile");
        html.append("</div><div class=\"pair\">");
        List<SvgCharts.Item> tiers = List.of(
                new SvgCharts.Item("high (≥ 80)", quality.high(), Html.count(quality.high()), "#10b981"),
                new SvgCharts.Item("medium (≥ 50)", quality.medium(), Html.count(quality.medium()), "#f59e0b"),
                new SvgCharts.Item("low (< 50)", quality.low(), Html.count(quality.low()), "#ef4444"));
        html.append(SvgCharts.bars("score-tiers", "Sessions per success-score tier", tiers, 0));
        List<List<String>> rows = new ArrayList<>();
        for (SvgCharts.Item tier : tiers) {
            rows.add(List.of(tier.label(), tier.text()));
        }
        table(html, List.of("tier", "sessions"), rows);
        html.append("</div><h3>Most common workflows</h3>");
        rows = new ArrayList<>();
        for (WorkflowPattern w : workflows) {
            rows.add(List.of(w.workflow(), Html.count(w.sessions()), Html.number(w.meanSuccessScore(), 1)));
        }
        table(html, List.of("workflow", "sessions", "mean score"), rows);
        html.append("<h3>Lowest-scoring recent sessions</h3>");
        rows = new ArrayList<>();
        for (LowSession low : lowest) {
            SessionSummary s = low.session();
            rows.add(List.of(s.sessionId(), TIME.format(s.lastTs()), Html.number(s.successScore(), 1),
                    s.outcome() == null ? "–" : s.outcome(),
                    low.failingTools().isEmpty() ? "–" : String.join(", ", low.failingTools())));
        }
        table(html, List.of("session", "last event", "score", "outcome", "failing tools"), rows);
        html.append("</section>\n");
    }

    private static void card(StringBuilder html, String value, String label) {
        html.append("<div class=\"card\"><b>").append(Html.escape(value)).append("</b><span>")
                .append(Html.escape(label)).append("</span></div>");
    }

    private static void table(StringBuilder html, List<String> headers, List<List<String>> rows) {
        Html.table(html, headers, rows, "no sessions");
    }
}
