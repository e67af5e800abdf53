package dev.eventlog;

import static dev.eventlog.EventField.bool;
import static dev.eventlog.EventField.integer;
import static dev.eventlog.EventField.real;
import static dev.eventlog.EventField.text;
import static dev.eventlog.EventField.textList;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The event catalogue: each kind with its key, its SQL table, its JSONL file name and its typed
 * fields in column order. These names are a contract that users' tools rely on.
 *
 * <p>Immutable and thread-safe.
 */
public enum EventKind {
    /** Git activity: commits, pushes, pull requests, merges, branches. */
    GIT("git", "git_events", "git-activity.jsonl", GitEvent::fromFields,
            text("event_type"), text("repo"), text("branch"), text("commit_hash"), text("message"),
            integer("files_changed"), integer("additions"), integer("deletions"), text("author"),
            integer("commits")),
    /** A self-healing fix applied to a known error pattern. */
    SELF_HEAL("self_heal", "self_heal_events", "self-heal-outcomes.jsonl", SelfHealEvent::fromFields,
            text("error_pattern"), text("fix_applied"), bool("success"), integer("execution_time_ms"),
            text("error_message"), text("context"), text("severity")),
    /** A recovery from an error. */
    RECOVERY("recovery", "recovery_events", "recovery-outcomes.jsonl", RecoveryEvent::fromFields,
            text("error_type"), text("recovery_strategy"), bool("success"), integer("attempts"),
            integer("time_to_recover_ms"), text("error_details"), text("recovery_method")),
    /** A model-routing decision and how it turned out. */
    ROUTING_METRIC("routing_metric", "routing_metrics_events", "routing-metrics.jsonl",
            RoutingMetricEvent::fromFields,
            text("query_id"), text("predicted_model"), text("actual_model"), real("dq_score"),
            real("complexity"), bool("accuracy"), real("cost_saved"), text("reasoning"),
            text("query_text")),
    /** How a session ended. */
    SESSION_OUTCOME("session_outcome", "session_outcome_events", "session-outcomes.jsonl",
            SessionOutcomeEvent::fromFields,
            text("outcome"), real("quality"), real("complexity"), text("intent"), text("model"),
            integer("messages_count"), real("duration_minutes"), real("cost_usd"), bool("success"),
            text("summary")),
    /** One use of a tool. */
    TOOL_USE("tool_use", "tool_events", "tool-usage.jsonl", ToolUseEvent::fromFields,
            text("tool_name"), text("tool_type"), bool("success"), integer("exit_code"),
            integer("duration_ms"), textList("file_paths"), text("project_path")),
    /** A free-form activity. */
    ACTIVITY("activity", "activity_events", "activity.jsonl", ActivityEvent::fromFields,
            text("activity_type"), text("description"), text("project_path")),
    /** An agent coordinator action. */
    COORDINATOR("coordinator", "coordinator_events", "coordinator.jsonl", CoordinatorEvent::fromFields,
            text("agent_id"), text("action"), text("strategy"), text("file_path"), text("result"),
            integer("duration_ms"), integer("exit_code")),
    /** A routing decision by domain expertise. */
    EXPERTISE_ROUTING("expertise_routing", "expertise_routing_events", "expertise-routing.jsonl",
            ExpertiseRoutingEvent::fromFields,
            text("domain"), real("expertise_level"), real("query_complexity"), text("chosen_model"),
            text("reasoning"), text("query_hash")),
    /** Any other kind: its name in the {@code kind} column, everything else in attributes. */
    CUSTOM("custom", "custom_events", "custom-events.jsonl", CustomEvent::fromFields,
            text("kind"));

    private static final Map<String, EventKind> BY_KEY = new HashMap<>();
    private static final Map<String, EventKind> BY_FILE = new HashMap<>();

    static {
        for (EventKind kind : values()) {
            BY_KEY.put(kind.key, kind);
            BY_FILE.put(kind.fileName, kind);
        }
    }

    private final String key;
    private final String table;
    private final String fileName;
    private final BiFunction<Envelope, Object[], Event> factory;
    private final List<EventField> fields;
    private final Map<String, Integer> indexByName;

    EventKind(String key, String table, String fileName, BiFunction<Envelope, Object[], Event> factory,
            EventField... fields) {
        this.key = key;
        this.table = table;
        this.fileName = fileName;
        this.factory = factory;
        this.fields = List.of(fields);
        this.indexByName = new HashMap<>();
        for (int i = 0; i < fields.length; i++) {
            indexByName.put(fields[i].name(), i);
        }
    }

    /** The kind key used in JSONL {@code kind} values and on the command line, e.g. {@code self_heal}. */
    public String key() {
        return key;
    }

    /** The SQL table name, e.g. {@code self_heal_events}. */
    public String table() {
        return table;
    }

    /** The JSONL file name, e.g. {@code self-heal-outcomes.jsonl}. */
    public String fileName() {
        return fileName;
    }

    /** The typed fields in column order. */
    public List<EventField> fields() {
        return fields;
    }

    /** The position of a typed field, or -1 when this kind has no such field. */
    public int indexOf(String fieldName) {
        Integer index = indexByName.get(fieldName);
        return index == null ? -1 : index;
    }

    /**
     * Builds an event of this kind from an envelope and its typed field values in column order,
     * as stores and importers do. Values must already have the Java type of their field.
     *
     * @throws InvalidEventException when a value is of the wrong type or a number is not finite
     */
    public Event create(Envelope envelope, Object[] values) {
        if (values.length != fields.size()) {
            throw new InvalidEventException(key + " takes " + fields.size() + " field values but got "
                    + values.length);
        }
        try {
            return factory.apply(envelope, values);
        } catch (ClassCastException e) {
            throw new InvalidEventException(key + " field values " + Arrays.toString(values)
                    + " do not match the field types " + fields);
        }
    }

    /** The kind whose key is {@code key} (case-insensitive, {@code -} read as {@code _}). */
    public static Optional<EventKind> fromKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key.toLowerCase(Locale.ROOT).replace('-', '_')));
    }

    /** The kind whose JSONL file is named {@code fileName} (no directory part). */
    public static Optional<EventKind> fromFileName(String fileName) {
        return Optional.ofNullable(BY_FILE.get(fileName));
    }
}
