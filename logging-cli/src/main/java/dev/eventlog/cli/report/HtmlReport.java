package dev.eventlog.cli.report;

import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.analytics.Analytics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders an {@link Analytics} as one self-contained HTML page: overview, activity per day, tool
 * analytics, routing, session outcomes, infrastructure (self-heal and recovery) and git activity,
 * each with inline SVG charts and the numbers in tables beside them. The page loads nothing from
 * the network and needs no script to be read; a few lines of inline script only record, on each
 * chart, how many of its marks the browser drew ({@code data-drawn}), for checking the rendering.
 * Thread-safe (no state).
 */
public final class HtmlReport {
    private static final String STYLE = """
            :root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
            --text:#0f172a;--muted:#475569;--soft:#334155;--page:#f8fafc;--panel:#fff;--line:#e2e8f0;--head:#f1f5f9;
            --track:#f1f5f9;--axis:#94a3b8;--bar:#0f172a;--bar-text:#f8fafc;--bar-muted:#cbd5e1;--link:#93c5fd;
            color:var(--text)}
            @media (prefers-color-scheme: dark){:root{--text:#e2e8f0;--muted:#94a3b8;--soft:#cbd5e1;--page:#020617;
            --panel:#0f172a;--line:#1e293b;--head:#1e293b;--track:#1e293b;--axis:#64748b;--bar:#000;--bar-text:#f8fafc;
            --bar-muted:#94a3b8;--link:#93c5fd}}
            body{margin:0;background:var(--page)}
            header{background:var(--bar);color:var(--bar-text);padding:20px 32px}
            header h1{margin:0 0 6px;font-size:24px}
            header p{margin:0;color:var(--bar-muted);font-size:14px}
            nav a{color:var(--link);margin-right:14px;font-size:14px;text-decoration:none}
            main{padding:8px 32px 32px}
            section{background:var(--panel);border:1px solid var(--line);border-radius:10px;margin:20px 0;padding:16px 20px}
            h2{margin:0 0 12px;font-size:20px}
            h3{margin:12px 0 8px;font-size:16px;color:var(--soft)}
            .cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:12px}
            .card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px}
            .card b{display:block;font-size:22px}
            .card span{font-size:13px;color:var(--muted)}
            .pair{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
            table{border-collapse:collapse;font-size:13px;min-width:280px}
            th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left}
            th{background:var(--head)}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
            td.diag{background:var(--head);font-weight:600}
            svg.chart{max-width:100%;height:auto}
            svg .label{font-size:12px;fill:var(--soft)}
            svg .value{font-size:12px;fill:var(--text)}
            svg .track{fill:var(--track)}
            svg .axis{stroke:var(--axis)}
            footer{color:var(--muted);font-size:12px;padding:0 32px 24px}
            """;

    /** Marks the drawn size of each chart's marks; the report is complete without it. */
    private static final String DRAWN_CHECK = """
            document.querySelectorAll('svg.chart').forEach(function (svg) {
              var drawn = 0;
              svg.querySelectorAll('.mark').forEach(function (mark) {
                var box = mark.getBBox();
                if (box.width > 0 && box.height > 0) { drawn++; }
              });
              svg.setAttribute('data-drawn', String(drawn));
            });
            document.body.setAttribute('data-charts', String(document.querySelectorAll('svg.chart').length));
            """;

    private HtmlReport() {
    }

    /**
     * The report page.
     *
     * @param analytics the figures to show
     * @param storeDescription the store they come from, as printed (without a password)
     * @param generatedAt when the report is made
     */
    public static String render(Analytics analytics, String storeDescription, Instant generatedAt) {
        return render(analytics, null, storeDescription, generatedAt);
    }

    /**
     * The report page with a "Session quality" section after the session outcomes.
     *
     * @param analytics the figures to show
     * @param sessions the session figures to show, or {@code null} for none
     * @param storeDescription the store they come from, as printed (without a password)
     * @param generatedAt when the report is made
     */
    public static String render(Analytics analytics, SessionsSection sessions, String storeDescription,
            Instant generatedAt) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>eventlog report</title><style>").append(STYLE).append("</style></head><body>\n")
                .append("<header><h1>eventlog report</h1><p>").append(Html.escape(storeDescription)).append(" · ")
                .append(Html.escape(range(analytics))).append(" · generated ")
                .append(Html.escape(generatedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())).append("</p><nav>")
                .append("<a href=\"#overview\">Overview</a><a href=\"#activity\">Activity</a>")
                .append("<a href=\"#tools\">Tools</a><a href=\"#routing\">Routing</a>")
                .append("<a href=\"#sessions\">Sessions</a>")
                .append(sessions == null ? "" : "<a href=\"#session-quality\">Session quality</a>")
                .append("<a href=\"#infrastructure\">Infrastructure</a>")
                .append("<a href=\"#git\">Git</a></nav></header>\n<main>\n");
        overview(html, analytics);
        activity(html, analytics);
        tools(html, analytics.tools());
        routing(html, analytics.routing());
        sessions(html, analytics.sessions());
        if (sessions != null) {
            sessions.render(html);
        }
        infrastructure(html, analytics.selfHeal(), analytics.recovery());
        git(html, analytics.git());
        html.append("</main>\n<footer>Rates are the share of events whose flag is true over all events of the group; ")
                .append("percentiles are nearest-rank. Generated by eventlog.</footer>\n<script>").append(DRAWN_CHECK)
                .append("</script>\n</body></html>\n");
        return html.toString();
    }

    /**
     * Checks that {@code out} can take the report: it must be a regular file if it exists, never a
     * directory, FIFO or device, and its folder must exist.
     *
     * @throws ConfigurationException naming {@code option} and the path when it cannot
     */
    public static void checkOut(String option, Path out) {
        Path absolute = out.toAbsolutePath();
        if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
            throw new ConfigurationException(option + " was '" + out + "' but it must be a regular file, not "
                    + (Files.isDirectory(absolute) ? "a directory" : "a FIFO, socket or device") + ": it is never replaced");
        }
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new ConfigurationException(option + " was '" + out + "' but its folder must exist");
        }
    }

    /**
     * Writes the report to {@code out}, replacing it whole: written to a temp file beside it, then
     * renamed over it, so that a reader sees the old report or the new one; the temp file never stays.
     *
     * @throws ConfigurationException when {@code out} is a directory, FIFO or device, see {@link #checkOut}
     * @throws StoreException when the file cannot be written
     */
    public static void write(Analytics analytics, String storeDescription, Path out) {
        write(analytics, null, storeDescription, out);
    }

    /**
     * Writes the report with its "Session quality" section to {@code out}, replacing it whole.
     *
     * @throws StoreException when the file cannot be written
     */
    public static void write(Analytics analytics, SessionsSection sessions, String storeDescription, Path out) {
        checkOut("out", out);
        Path absolute = out.toAbsolutePath();
        Path temp = null;
        try {
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + "-", ".tmp");
            Files.writeString(temp, render(analytics, sessions, storeDescription, Instant.now()), StandardCharsets.UTF_8);
            try {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new StoreException("cannot write report " + out + ": " + e, e);
        } finally {
            if (temp != null) {
                deleteAfterFailure(temp);
            }
        }
    }

    private static void deleteAfterFailure(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // The write's own failure is the one reported; this one would only hide it.
            temp.toFile().deleteOnExit();
        }
    }

    private static String range(Analytics a) {
        if (a.from() == null && a.until() == null) {
            return "all events";
        }
        return "from " + (a.from() == null ? "the first event" : a.from()) + " until "
                + (a.until() == null ? "the last event" : a.until() + " (excluded)");
    }

    private static void overview(StringBuilder html, Analytics a) {
        html.append("<section id=\"overview\"><h2>Overview</h2><div class=\"cards\">");
        card(html, Html.count(a.total()), "events");
        card(html, Html.pct(a.routing().accuracyPct()), "routing accuracy");
        card(html, Html.pct(a.selfHeal().successPct()), "self-heal success");
        card(html, Html.pct(a.recovery().successPct()), "recovery success");
        card(html, Html.pct(a.tools().successPct()), "tool success");
        card(html, Html.count(a.git().commits()), "git commits");
        html.append("</div><div class=\"pair\">");
        List<SvgCharts.Item> kinds = new ArrayList<>();
        for (Map.Entry<EventKind, Long> entry : a.counts().entrySet()) {
            kinds.add(new SvgCharts.Item(entry.getKey().key(), entry.getValue(), Html.count(entry.getValue()),
                    colour(entry.getKey())));
        }
        html.append(SvgCharts.bars("events-per-kind", "Events per kind", kinds, 0));
        table(html, List.of("kind", "events"), kinds, item -> List.of(item.label(), item.text()));
        html.append("</div></section>\n");
    }

    private static void activity(StringBuilder html, Analytics a) {
        html.append("<section id=\"activity\"><h2>Activity per day</h2><div class=\"pair\">");
        List<SvgCharts.Column> columns = new ArrayList<>();
        Map<String, String> legend = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<LocalDate, Map<EventKind, Long>> day : a.countsByDay().entrySet()) {
            List<SvgCharts.Item> segments = new ArrayList<>();
            long total = 0;
            StringBuilder mix = new StringBuilder();
            for (Map.Entry<EventKind, Long> kind : day.getValue().entrySet()) {
                segments.add(new SvgCharts.Item(kind.getKey().key(), kind.getValue(), Html.count(kind.getValue()),
                        colour(kind.getKey())));
                legend.put(kind.getKey().key(), colour(kind.getKey()));
                total += kind.getValue();
                mix.append(mix.length() == 0 ? "" : ", ").append(kind.getKey().key()).append(' ')
                        .append(Html.count(kind.getValue()));
            }
            columns.add(new SvgCharts.Column(day.getKey().toString(), segments));
            rows.add(List.of(day.getKey().toString(), Html.count(total), mix.toString()));
        }
        html.append(SvgCharts.columns("activity-per-day", "Events per day (UTC)", columns, legend));
        Html.table(html, List.of("day (UTC)", "events", "by kind"), rows, "no events");
        html.append("</div></section>\n");
    }

    private static void tools(StringBuilder html, Analytics.Tools tools) {
        html.append("<section id=\"tools\"><h2>Tool analytics</h2><div class=\"cards\">");
        card(html, Html.count(tools.events()), "tool uses");
        card(html, Html.pct(tools.successPct()), "success overall");
        html.append("</div><div class=\"pair\">");
        List<SvgCharts.Item> bars = rates(tools.successPctByTool());
        html.append(SvgCharts.bars("tool-success", "Success rate per tool", bars, 100));
        List<List<String>> rows = new ArrayList<>();
        for (String tool : tools.countByTool().keySet()) {
            rows.add(List.of(tool, Html.count(tools.countByTool().get(tool)), Html.pct(tools.successPctByTool().get(tool)),
                    duration(tools.durationP50MsByTool().get(tool)), duration(tools.durationP95MsByTool().get(tool))));
        }
        Html.table(html, List.of("tool", "uses", "success", "p50 duration", "p95 duration"), rows, "no events");
        html.append("</div><h3>Duration per tool</h3><div class=\"pair\">");
        List<SvgCharts.Spread> spreads = new ArrayList<>();
        for (String tool : tools.durationP95MsByTool().keySet()) {
            Number p50 = tools.durationP50MsByTool().get(tool);
            Number p95 = tools.durationP95MsByTool().get(tool);
            spreads.add(new SvgCharts.Spread(tool, p50 == null ? 0 : p50.doubleValue(), p95.doubleValue(),
                    duration(p50), duration(p95)));
        }
        html.append(SvgCharts.spreads("tool-durations", "Duration per tool: median and 95th percentile", spreads,
                SvgCharts.PALETTE.get(0), "#93c5fd"));
        html.append("</div></section>\n");
    }

    private static void routing(StringBuilder html, Analytics.Routing routing) {
        html.append("<section id=\"routing\"><h2>Routing</h2><div class=\"cards\">");
        card(html, Html.count(routing.events()), "routing decisions");
        card(html, Html.pct(routing.accuracyPct()), "accuracy");
        html.append("</div><div class=\"pair\">");
        List<SvgCharts.Item> slices = shares(routing.predictedModelCounts(), routing.events());
        html.append(SvgCharts.donut("model-distribution", "Predicted model distribution", slices));
        List<List<String>> rows = new ArrayList<>();
        for (SvgCharts.Item slice : slices) {
            rows.add(List.of(slice.label(), Html.count(slice.value()), slice.text(),
                    Html.pct(routing.accuracyPctByPredictedModel().get(slice.label()))));
        }
        Html.table(html, List.of("predicted model", "decisions", "share", "accuracy"), rows, "no events");
        html.append("</div><h3>Predicted vs actual model</h3>");
        matrix(html, routing.predictedActualCounts());
        html.append("</section>\n");
    }

    /**
     * The predicted-vs-actual matrix: a row per predicted model, a column per actual model, the
     * decisions of each pair (0 when none); the cells where both agree are highlighted.
     */
    private static void matrix(StringBuilder html, Map<String, Map<String, Long>> counts) {
        SortedSet<String> actuals = new TreeSet<>();
        counts.values().forEach(row -> actuals.addAll(row.keySet()));
        html.append("<table class=\"matrix\" data-table=\"routing-matrix\"><thead><tr><th>predicted \\ actual</th>");
        for (String actual : actuals) {
            html.append("<th class=\"num\">").append(Html.escape(actual)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        if (counts.isEmpty()) {
            html.append("<tr><td>no decisions with both models known</td></tr>");
        }
        for (Map.Entry<String, Map<String, Long>> row : counts.entrySet()) {
            html.append("<tr><td>").append(Html.escape(row.getKey())).append("</td>");
            for (String actual : actuals) {
                html.append(actual.equals(row.getKey()) ? "<td class=\"num diag\">" : "<td class=\"num\">")
                        .append(Html.count(row.getValue().getOrDefault(actual, 0L))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
    }

    private static void sessions(StringBuilder html, Analytics.Sessions sessions) {
        html.append("<section id=\"sessions\"><h2>Session outcomes</h2><div class=\"cards\">");
        card(html, Html.count(sessions.events()), "sessions");
        // Quality is a ratio from 0 to 1: people read it as a percentage.
        card(html, Html.pct(sessions.meanQuality() == null ? null : 100 * sessions.meanQuality()), "mean quality");
        card(html, Html.money(sessions.totalCostUsd()), "total cost");
        html.append("</div><div class=\"pair\">");
        List<SvgCharts.Item> slices = shares(sessions.outcomeCounts(), sessions.events());
        html.append(SvgCharts.donut("outcome-mix", "Session outcome mix", slices));
        table(html, List.of("outcome", "sessions", "share"), slices,
                item -> List.of(item.label(), Html.count(item.value()), item.text()));
        html.append("</div></section>\n");
    }

    private static void infrastructure(StringBuilder html, Analytics.SelfHeal selfHeal, Analytics.Recovery recovery) {
        html.append("<section id=\"infrastructure\"><h2>Infrastructure</h2><div class=\"cards\">");
        card(html, Html.pct(selfHeal.successPct()), "self-heal success (" + Html.count(selfHeal.events()) + " fixes)");
        card(html, Html.pct(recovery.successPct()), "recovery success (" + Html.count(recovery.events()) + ")");
        card(html, duration(recovery.meanTimeToRecoverMs()), "mean time to recover");
        html.append("</div><h3>Self-heal success per error pattern</h3><div class=\"pair\">");
        html.append(SvgCharts.bars("self-heal-success", "Self-heal success per error pattern",
                rates(selfHeal.successPctByPattern()), 100));
        groupTable(html, "error pattern", "fixes", selfHeal.countByPattern(), selfHeal.successPctByPattern());
        html.append("</div><h3>Recovery success per strategy</h3><div class=\"pair\">");
        html.append(SvgCharts.bars("recovery-success", "Recovery success per strategy",
                rates(recovery.successPctByStrategy()), 100));
        groupTable(html, "strategy", "recoveries", recovery.countByStrategy(), recovery.successPctByStrategy());
        html.append("</div></section>\n");
    }

    private static void git(StringBuilder html, Analytics.Git git) {
        html.append("<section id=\"git\"><h2>Git activity</h2><div class=\"pair\">");
        List<SvgCharts.Item> bars = new ArrayList<>();
        git.commitsByRepo().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> bars.add(new SvgCharts.Item(e.getKey(), e.getValue(), Html.count(e.getValue()),
                        colour(EventKind.GIT))));
        html.append(SvgCharts.bars("commits-per-repo", "Commits per repository", bars, 0));
        table(html, List.of("repository", "commits"), bars, item -> List.of(item.label(), item.text()));
        html.append("</div></section>\n");
    }

    private static List<SvgCharts.Item> rates(Map<String, Double> pcts) {
        List<SvgCharts.Item> items = new ArrayList<>();
        for (Map.Entry<String, Double> entry : pcts.entrySet()) {
            double pct = entry.getValue();
            // Green when nearly always fine, amber in between, red when it mostly fails.
            String colour = pct >= 90 ? "#10b981" : pct >= 50 ? "#f59e0b" : "#ef4444";
            items.add(new SvgCharts.Item(entry.getKey(), pct, Html.pct(pct), colour));
        }
        return items;
    }

    private static List<SvgCharts.Item> shares(Map<String, Long> counts, long total) {
        List<SvgCharts.Item> items = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> items.add(new SvgCharts.Item(e.getKey(),
                        e.getValue(), Html.pct(100.0 * e.getValue() / total),
                        SvgCharts.PALETTE.get(items.size() % SvgCharts.PALETTE.size()))));
        return items;
    }

    private static String colour(EventKind kind) {
        return SvgCharts.PALETTE.get(kind.ordinal() % SvgCharts.PALETTE.size());
    }

    /** A duration for people: {@code 850 ms}, {@code 11.1 s}, {@code 2.5 min}, {@code 1.2 h}. */
    private static String duration(Number ms) {
        if (ms == null) {
            return "–";
        }
        double v = ms.doubleValue();
        if (Math.abs(v) < 1_000) {
            return Html.number(v, 0) + " ms";
        }
        if (Math.abs(v) < 60_000) {
            return Html.number(v / 1_000, 1) + " s";
        }
        if (Math.abs(v) < 3_600_000) {
            return Html.number(v / 60_000, 1) + " min";
        }
        return Html.number(v / 3_600_000, 1) + " h";
    }

    private static void card(StringBuilder html, String value, String label) {
        html.append("<div class=\"card\"><b>").append(Html.escape(value)).append("</b><span>")
                .append(Html.escape(label)).append("</span></div>");
    }

    private static void groupTable(StringBuilder html, String group, String noun, Map<String, Long> counts,
            Map<String, Double> pcts) {
        List<List<String>> rows = new ArrayList<>();
        counts.keySet().stream().sorted(Comparator.naturalOrder()).forEach(key -> rows.add(
                List.of(key, Html.count(counts.get(key)), Html.pct(pcts.get(key)))));
        Html.table(html, List.of(group, noun, "success"), rows, "no events");
    }

    private static <T> void table(StringBuilder html, List<String> headers, List<T> items,
            Function<T, List<String>> cells) {
        Html.table(html, headers, items.stream().map(cells).toList(), "no events");
    }
}
