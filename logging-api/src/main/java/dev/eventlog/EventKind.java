package dev.eventlog;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The event catalogue: each kind with its key, its SQL table, its JSONL file name and its record.
 * A kind's typed fields — their names, types and column order, and how values are read from and
 * put into an event — are derived once from the components of its record, at the kind's first use
 * that needs them (not when this class is initialised: opening a store or naming a kind does not pay
 * for the other kinds' fields): the record is the one place a kind's fields are declared. These
 * names are a contract that users' tools rely on.
 *
 * <p>Immutable and thread-safe.
 */
public enum EventKind {
    /** Git activity: commits, pushes, pull requests, merges, branches. */
    GIT("git", "git_events", "git-activity.jsonl", GitEvent.class),
    /** A self-healing fix applied to a known error pattern. */
    SELF_HEAL("self_heal", "self_heal_events", "self-heal-outcomes.jsonl", SelfHealEvent.class),
    /** A recovery from an error. */
    RECOVERY("recovery", "recovery_events", "recovery-outcomes.jsonl", RecoveryEvent.class),
    /** A model-routing decision and how it turned out. */
    ROUTING_METRIC("routing_metric", "routing_metrics_events", "routing-metrics.jsonl", RoutingMetricEvent.class),
    /** How a session ended. */
    SESSION_OUTCOME("session_outcome", "session_outcome_events", "session-outcomes.jsonl", SessionOutcomeEvent.class),
    /** One use of a tool. */
    TOOL_USE("tool_use", "tool_events", "tool-usage.jsonl", ToolUseEvent.class),
    /** A free-form activity. */
    ACTIVITY("activity", "activity_events", "activity.jsonl", ActivityEvent.class),
    /** An agent coordinator action. */
    COORDINATOR("coordinator", "coordinator_events", "coordinator.jsonl", CoordinatorEvent.class),
    /** A routing decision by domain expertise. */
    EXPERTISE_ROUTING("expertise_routing", "expertise_routing_events", "expertise-routing.jsonl",
            ExpertiseRoutingEvent.class),
    /** Any other kind: its name in the {@code kind} column, everything else in attributes. */
    CUSTOM("custom", "custom_events", "custom-events.jsonl", CustomEvent.class);

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
    private final Class<? extends Event> type;
    // Derived at the first call that needs them: reading a record's components makes a lambda per
    // field, about a tenth of a fresh JVM's first store open when done for every kind up front.
    // Racing threads derive equal, immutable values.
    private volatile RecordFields fields;

    EventKind(String key, String table, String fileName, Class<? extends Event> type) {
        this.key = key;
        this.table = table;
        this.fileName = fileName;
        this.type = type;
    }

    private RecordFields recordFields() {
        RecordFields derived = fields;
        if (derived == null) {
            derived = RecordFields.of(type);
            fields = derived;
        }
        return derived;
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

    /** The record class of this kind's events, e.g. {@code SelfHealEvent.class}. */
    public Class<? extends Event> eventType() {
        return type;
    }

    /**
     * The typed fields in column order: the record's components after its envelope, in the order
     * it declares them, each named by its component's name in snake_case. Unmodifiable.
     */
    public List<EventField> fields() {
        return recordFields().fields();
    }

    /** The position of a typed field, or -1 when this kind has no such field. */
    public int indexOf(String fieldName) {
        return recordFields().indexOf(fieldName);
    }

    /** The value of typed field {@code index} of {@code event}, an event of this kind. */
    Object read(Event event, int index) {
        return recordFields().read(event, index);
    }

    /**
     * Builds an event of this kind from an envelope and its typed field values in column order,
     * as stores and importers do. Values must already have the Java type of their field.
     *
     * @throws InvalidEventException when a value is of the wrong type or a number is not finite
     */
    public Event create(Envelope envelope, Object[] values) {
        if (values.length != fields().size()) {
            throw new InvalidEventException(key + " takes " + fields().size() + " field values but got "
                    + values.length);
        }
        try {
            return recordFields().create(envelope, values);
        } catch (ClassCastException e) {
            throw new InvalidEventException(key + " field values " + Arrays.toString(values)
                    + " do not match the field types " + fields());
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
