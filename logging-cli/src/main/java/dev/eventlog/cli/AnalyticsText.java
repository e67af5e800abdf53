package dev.eventlog.cli;

import dev.eventlog.EventKind;
import dev.eventlog.analytics.Analytics;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The text form of {@code eventlog stats}: one small table per question. Rates and means are
 * printed with 4 decimals (the JSON form has them in full).
 */
final class AnalyticsText {
    private AnalyticsText() {
    }

    static String render(Analytics a, String store) {
        StringBuilder out = new StringBuilder();
        out.append("Analytics of ").append(store).append(", ").append(range(a)).append("\n\n");

        List<List<String>> kinds = new ArrayList<>();
        a.counts().forEach((kind, n) -> kinds.add(List.of(kind.key(), Long.toString(n))));
        kinds.add(List.of("total", Long.toString(a.total())));
        table(out, "Events", List.of("kind", "events"), kinds);

        List<List<String>> days = new ArrayList<>();
        for (Map.Entry<LocalDate, Map<EventKind, Long>> day : a.countsByDay().entrySet()) {
            long total = day.getValue().values().stream().mapToLong(Long::longValue).sum();
            days.add(List.of(day.getKey().toString(), Long.toString(total)));
        }
        table(out, "Events per day (UTC)", List.of("day", "events"), days);

        Analytics.Routing routing = a.routing();
        List<List<String>> models = new ArrayList<>();
        routing.predictedModelCounts().forEach((model, n) -> models.add(List.of(model, Long.toString(n),
                pct(routing.accuracyPctByPredictedModel().get(model)))));
        table(out, "Routing: " + routing.events() + " decisions, accuracy " + pct(routing.accuracyPct()),
                List.of("predicted model", "decisions", "accuracy"), models);
        matrix(out, routing.predictedActualCounts());

        Analytics.SelfHeal selfHeal = a.selfHeal();
        table(out, "Self-heal: " + selfHeal.events() + " fixes, success " + pct(selfHeal.successPct()),
                List.of("error pattern", "fixes", "success"), groups(selfHeal.countByPattern(), selfHeal.successPctByPattern()));

        Analytics.Recovery recovery = a.recovery();
        table(out, "Recovery: " + recovery.events() + " recoveries, success " + pct(recovery.successPct())
                + ", mean time to recover " + number(recovery.meanTimeToRecoverMs()) + " ms",
                List.of("strategy", "recoveries", "success"), groups(recovery.countByStrategy(), recovery.successPctByStrategy()));

        Analytics.Sessions sessions = a.sessions();
        List<List<String>> outcomes = new ArrayList<>();
        sessions.outcomeCounts().forEach((outcome, n) -> outcomes.add(List.of(outcome, Long.toString(n))));
        table(out, "Sessions: " + sessions.events() + " sessions, mean quality " + number(sessions.meanQuality())
                + ", total cost $" + number(sessions.totalCostUsd()), List.of("outcome", "sessions"), outcomes);

        Analytics.Tools tools = a.tools();
        List<List<String>> perTool = new ArrayList<>();
        tools.countByTool().forEach((tool, n) -> perTool.add(List.of(tool, Long.toString(n),
                pct(tools.successPctByTool().get(tool)), ms(tools.durationP50MsByTool().get(tool)),
                ms(tools.durationP95MsByTool().get(tool)))));
        table(out, "Tools: " + tools.events() + " uses, success " + pct(tools.successPct()),
                List.of("tool", "uses", "success", "p50 ms", "p95 ms"), perTool);

        List<List<String>> repos = new ArrayList<>();
        a.git().commitsByRepo().forEach((repo, n) -> repos.add(List.of(repo, Long.toString(n))));
        table(out, "Git: " + a.git().commits() + " commits", List.of("repository", "commits"), repos);
        return out.toString();
    }

    /**
     * The predicted-vs-actual matrix: a row per predicted model, a column per actual model, the
     * decisions of each pair ({@code 0} where none), as the report draws it.
     */
    private static void matrix(StringBuilder out, Map<String, Map<String, Long>> counts) {
        SortedSet<String> actuals = new TreeSet<>();
        counts.values().forEach(row -> actuals.addAll(row.keySet()));
        List<String> headers = new ArrayList<>();
        headers.add("predicted \\ actual");
        headers.addAll(actuals);
        List<List<String>> rows = new ArrayList<>();
        counts.forEach((predicted, row) -> {
            List<String> cells = new ArrayList<>();
            cells.add(predicted);
            actuals.forEach(actual -> cells.add(Long.toString(row.getOrDefault(actual, 0L))));
            rows.add(cells);
        });
        table(out, "Routing: predicted vs actual model", headers, rows);
    }

    private static List<List<String>> groups(Map<String, Long> counts, Map<String, Double> pcts) {
        List<List<String>> rows = new ArrayList<>();
        counts.forEach((group, n) -> rows.add(List.of(group, Long.toString(n), pct(pcts.get(group)))));
        return rows;
    }

    private static String range(Analytics a) {
        if (a.from() == null && a.until() == null) {
            return "all events";
        }
        return "events from " + (a.from() == null ? "the first" : a.from()) + " until "
                + (a.until() == null ? "the last" : a.until() + " (excluded)");
    }

    private static String pct(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f %%", value);
    }

    private static String number(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String ms(Long value) {
        return value == null ? "-" : Long.toString(value);
    }

    private static void table(StringBuilder out, String title, List<String> headers, List<List<String>> rows) {
        TextTable.append(out, title, headers, rows, true);
    }
}
