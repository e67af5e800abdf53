package dev.eventlog.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.StoreException;
import dev.eventlog.internal.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The JSON form of {@link SessionReport} and {@link SessionSummary}; its keys are a contract (see the README). */
final class SessionJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** ISO-8601 UTC, always with milliseconds (unlike {@link Instant#toString()}). */
    static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private SessionJson() {
    }

    static String write(SessionReport report) {
        ObjectNode root = NODES.objectNode();
        ArrayNode sessions = root.putArray("sessions");
        report.sessions().forEach(s -> sessions.add(summary(s)));
        ArrayNode workflows = root.putArray("workflows");
        for (WorkflowPattern w : report.workflows()) {
            ObjectNode node = workflows.addObject();
            node.put("workflow", w.workflow());
            node.put("sessions", w.sessions());
            node.put("mean_success_score", w.meanSuccessScore());
        }
        ArrayNode agents = root.putArray("agents");
        for (AgentUsage a : report.agents()) {
            ObjectNode node = agents.addObject();
            node.put("agent_id", a.agentId());
            node.put("events", a.events());
            ObjectNode actions = node.putObject("actions");
            a.actions().forEach(actions::put);
            node.put("mean_duration_ms", a.meanDurationMs());
            node.put("sessions", a.sessions());
        }
        SessionQuality q = report.quality();
        ObjectNode quality = root.putObject("quality");
        quality.put("sessions", q.sessions());
        quality.put("scored", q.scored());
        quality.put("mean", q.mean());
        quality.put("median", q.median());
        quality.put("p90", q.p90());
        ObjectNode tiers = quality.putObject("tiers");
        tiers.put("high", q.high());
        tiers.put("medium", q.medium());
        tiers.put("low", q.low());
        return text(root);
    }

    /** One session as a JSON object, keys in the README's order. */
    static String write(SessionSummary summary) {
        return text(summary(summary));
    }

    static ObjectNode summary(SessionSummary s) {
        ObjectNode node = NODES.objectNode();
        node.put("session_id", s.sessionId());
        node.put("first_ts", ISO_MILLIS.format(s.firstTs()));
        node.put("last_ts", ISO_MILLIS.format(s.lastTs()));
        node.put("events", s.events());
        node.put("tool_calls", s.toolCalls());
        node.put("tool_failures", s.toolFailures());
        node.put("tool_success_rate", s.toolSuccessRate());
        node.put("distinct_tools", s.distinctTools());
        node.put("outcome", s.outcome());
        node.put("quality", s.quality());
        node.put("cost_usd", s.costUsd());
        node.put("model", s.model());
        node.put("messages_count", s.messagesCount());
        node.put("workflow", s.workflow());
        node.put("success_score", s.successScore());
        return node;
    }

    private static String text(ObjectNode root) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not write sessions as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
