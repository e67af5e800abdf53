package dev.eventlog.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.internal.json.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/** The JSON form of {@link Analytics}; its keys are a contract (see the README). Thread-safe. */
final class AnalyticsJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnalyticsJson() {
    }

    static String write(Analytics analytics) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree(analytics));
        } catch (JsonProcessingException e) {
            throw new StoreException("could not write analytics as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode tree(Analytics a) {
        ObjectNode root = NODES.objectNode();
        root.put("from", iso(a.from()));
        root.put("until", iso(a.until()));
        root.put("total", a.total());
        ObjectNode counts = root.putObject("counts");
        a.counts().forEach((kind, n) -> counts.put(kind.key(), n));
        ObjectNode days = root.putObject("counts_by_day");
        for (Map.Entry<LocalDate, Map<EventKind, Long>> day : a.countsByDay().entrySet()) {
            ObjectNode perKind = days.putObject(day.getKey().toString());
            day.getValue().forEach((kind, n) -> perKind.put(kind.key(), n));
        }

        ObjectNode out = root.putObject("analytics");
        Analytics.Routing routing = a.routing();
        out.put("routing_events", routing.events());
        out.put("routing_accuracy_pct", routing.accuracyPct());
        putLongs(out, "routing_predicted_model_counts", routing.predictedModelCounts());
        putDoubles(out, "routing_accuracy_pct_by_predicted_model", routing.accuracyPctByPredictedModel());
        ObjectNode matrix = out.putObject("routing_predicted_actual_counts");
        routing.predictedActualCounts().forEach((predicted, row) -> putLongs(matrix, predicted, row));

        Analytics.SelfHeal selfHeal = a.selfHeal();
        out.put("self_heal_events", selfHeal.events());
        out.put("self_heal_success_pct", selfHeal.successPct());
        putDoubles(out, "self_heal_success_pct_by_pattern", selfHeal.successPctByPattern());
        putLongs(out, "self_heal_count_by_pattern", selfHeal.countByPattern());

        Analytics.Recovery recovery = a.recovery();
        out.put("recovery_events", recovery.events());
        out.put("recovery_success_pct", recovery.successPct());
        putDoubles(out, "recovery_success_pct_by_strategy", recovery.successPctByStrategy());
        putLongs(out, "recovery_count_by_strategy", recovery.countByStrategy());
        out.put("recovery_mean_time_to_recover_ms", recovery.meanTimeToRecoverMs());

        Analytics.Sessions sessions = a.sessions();
        out.put("session_events", sessions.events());
        putLongs(out, "session_outcome_counts", sessions.outcomeCounts());
        out.put("session_mean_quality", sessions.meanQuality());
        out.put("session_total_cost_usd", sessions.totalCostUsd());

        Analytics.Tools tools = a.tools();
        out.put("tool_events", tools.events());
        out.put("tool_success_pct", tools.successPct());
        putDoubles(out, "tool_success_pct_by_tool", tools.successPctByTool());
        putLongs(out, "tool_count_by_tool", tools.countByTool());
        putLongs(out, "tool_duration_p50_ms_by_tool", tools.durationP50MsByTool());
        putLongs(out, "tool_duration_p95_ms_by_tool", tools.durationP95MsByTool());

        out.put("git_commits", a.git().commits());
        putLongs(out, "git_commits_by_repo", a.git().commitsByRepo());
        return root;
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static void putLongs(ObjectNode parent, String key, Map<String, Long> values) {
        ObjectNode node = parent.putObject(key);
        values.forEach(node::put);
    }

    private static void putDoubles(ObjectNode parent, String key, Map<String, Double> values) {
        ObjectNode node = parent.putObject(key);
        values.forEach(node::put);
    }
}
