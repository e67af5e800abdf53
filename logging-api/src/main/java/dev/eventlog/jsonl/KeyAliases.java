package dev.eventlog.jsonl;

import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The other key names legacy writers used for typed fields, per kind (README, "Migrating from JSONL"), plus any
 * a user adds, for one kind or for all kinds. A user's alias may also stand for an envelope field
 * ({@link #ENVELOPE_FIELDS}: the time {@code ts}, {@code id}, {@code session_id}, {@code source}),
 * so that e.g. a {@code created_at} column or key is the event time. When a line holds both the
 * canonical key and an alias, the canonical key wins and the alias is kept in the attributes, so
 * nothing is lost. Immutable and thread-safe.
 */
public final class KeyAliases {
    /** The envelope fields an alias may stand for, in every kind: the time, the id, the session and the source. */
    public static final List<String> ENVELOPE_FIELDS = List.of("ts", "id", "session_id", "source");

    // Keys a line is read by before any alias is looked up: an alias of one of these would never apply.
    private static final List<String> READ_FIRST = List.of("ts", "timestamp", "session_id", "source", "kind",
            "attributes");

    private static final KeyAliases BUILT_IN = builtInAliases();

    private final Map<EventKind, Map<String, String>> aliases;
    // Aliases of envelope fields for every kind; a kind's own alias of the same key comes first.
    private final Map<String, String> everyKind;

    private KeyAliases(Map<EventKind, Map<String, String>> aliases) {
        this(aliases, Map.of());
    }

    private KeyAliases(Map<EventKind, Map<String, String>> aliases, Map<String, String> everyKind) {
        this.aliases = aliases;
        this.everyKind = everyKind;
    }

    /** The built-in aliases (README, "Migrating from JSONL"). */
    public static KeyAliases builtIn() {
        return BUILT_IN;
    }

    // Made in one pass (with() copies every map per alias) and not checked here: checking an alias reads
    // its kind's fields, and deriving six kinds' fields was about a twentieth of a hook's 'eventlog log',
    // which decodes one kind. KeyAliasesTest checks every built-in alias as with() would (checkEvery()).
    private static KeyAliases builtInAliases() {
        Map<EventKind, Map<String, String>> aliases = new EnumMap<>(EventKind.class);
        add(aliases, EventKind.ROUTING_METRIC, "predicted", "predicted_model");
        add(aliases, EventKind.ROUTING_METRIC, "actual", "actual_model");
        add(aliases, EventKind.ROUTING_METRIC, "dq", "dq_score");
        add(aliases, EventKind.ROUTING_METRIC, "correct", "accuracy");
        add(aliases, EventKind.ROUTING_METRIC, "savings", "cost_saved");
        add(aliases, EventKind.ROUTING_METRIC, "query", "query_text");
        add(aliases, EventKind.ROUTING_METRIC, "id", "query_id");
        add(aliases, EventKind.GIT, "type", "event_type");
        add(aliases, EventKind.GIT, "repository", "repo");
        add(aliases, EventKind.GIT, "commit", "commit_hash");
        add(aliases, EventKind.GIT, "hash", "commit_hash");
        add(aliases, EventKind.GIT, "commit_message", "message");
        add(aliases, EventKind.GIT, "msg", "message");
        add(aliases, EventKind.GIT, "files", "files_changed");
        add(aliases, EventKind.GIT, "insertions", "additions");
        add(aliases, EventKind.GIT, "user", "author");
        add(aliases, EventKind.SELF_HEAL, "pattern", "error_pattern");
        add(aliases, EventKind.SELF_HEAL, "fix", "fix_applied");
        add(aliases, EventKind.SELF_HEAL, "fixed", "success");
        add(aliases, EventKind.SELF_HEAL, "duration", "execution_time_ms");
        add(aliases, EventKind.SELF_HEAL, "error", "error_message");
        add(aliases, EventKind.RECOVERY, "type", "error_type");
        add(aliases, EventKind.RECOVERY, "category", "error_type");
        add(aliases, EventKind.RECOVERY, "strategy", "recovery_strategy");
        add(aliases, EventKind.RECOVERY, "action", "recovery_strategy");
        add(aliases, EventKind.RECOVERY, "recovered", "success");
        add(aliases, EventKind.RECOVERY, "recovery_time", "time_to_recover_ms");
        add(aliases, EventKind.RECOVERY, "details", "error_details");
        add(aliases, EventKind.RECOVERY, "method", "recovery_method");
        add(aliases, EventKind.SESSION_OUTCOME, "messages", "messages_count");
        add(aliases, EventKind.TOOL_USE, "tool", "tool_name");
        aliases.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return new KeyAliases(aliases);
    }

    private static void add(Map<EventKind, Map<String, String>> aliases, EventKind kind, String alias, String field) {
        aliases.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(alias, field);
    }

    /**
     * These aliases plus {@code alias → field} for {@code kind}: {@code field} is one of the
     * kind's typed fields or one of the {@link #ENVELOPE_FIELDS}.
     *
     * @throws ConfigurationException when {@code field} is neither, or when {@code alias} is a key
     *     the line is read by first (one of the kind's fields, {@code ts}, {@code timestamp},
     *     {@code session_id}, {@code source}, {@code kind}, {@code attributes}), which no alias can stand for
     */
    public KeyAliases with(EventKind kind, String alias, String field) {
        check(kind, alias, field);
        Map<EventKind, Map<String, String>> copy = new EnumMap<>(EventKind.class);
        aliases.forEach((k, v) -> copy.put(k, new LinkedHashMap<>(v)));
        copy.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(alias, field);
        copy.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return new KeyAliases(copy, everyKind);
    }

    /**
     * Checks every alias of a kind as {@link #with(EventKind, String, String)} does.
     *
     * @throws ConfigurationException naming the first alias that {@code with} would refuse
     */
    void checkEvery() {
        aliases.forEach((kind, map) -> map.forEach((alias, field) -> check(kind, alias, field)));
    }

    private static void check(EventKind kind, String alias, String field) {
        if (kind.indexOf(alias) >= 0 || READ_FIRST.contains(alias)) {
            throw new ConfigurationException("alias was '" + alias + "' but it must not be a key " + kind.key()
                    + " lines are read by already (its fields, " + READ_FIRST + ")");
        }
        if (kind.indexOf(field) < 0 && !ENVELOPE_FIELDS.contains(field)) {
            throw new ConfigurationException("alias '" + alias + "' maps to field was '" + field
                    + "' but it must be one of " + kind.key() + "'s fields " + fieldNames(kind));
        }
    }

    /**
     * These aliases plus {@code alias → field} for every kind, where {@code field} is one of the
     * {@link #ENVELOPE_FIELDS} (typed fields differ by kind: alias them with {@link
     * #with(EventKind, String, String)}). A kind's own alias of the same key comes first.
     *
     * @throws ConfigurationException when {@code field} is no envelope field, or when {@code alias}
     *     is a key lines are read by first ({@code ts}, {@code timestamp}, {@code session_id},
     *     {@code source}, {@code kind}, {@code attributes})
     */
    public KeyAliases withEveryKind(String alias, String field) {
        if (READ_FIRST.contains(alias)) {
            throw new ConfigurationException("alias was '" + alias + "' but it must not be a key lines are read by "
                    + "already " + READ_FIRST);
        }
        if (!ENVELOPE_FIELDS.contains(field)) {
            throw new ConfigurationException("alias '" + alias + "' for every kind maps to field was '" + field
                    + "' but it must be one of the envelope fields " + ENVELOPE_FIELDS
                    + " (give a kind's own fields under that kind)");
        }
        Map<String, String> copy = new LinkedHashMap<>(everyKind);
        copy.put(alias, field);
        return new KeyAliases(aliases, Collections.unmodifiableMap(copy));
    }

    /**
     * The field {@code key} stands for in {@code kind} (a typed field or one of the {@link
     * #ENVELOPE_FIELDS}), or {@code null} when it is no alias.
     */
    public String fieldFor(EventKind kind, String key) {
        Map<String, String> map = aliases.get(kind);
        String field = map == null ? null : map.get(key);
        return field != null || everyKind.isEmpty() ? field : everyKind.get(key);
    }

    /** Whether some alias of {@code kind} stands for an envelope field: then the decoder looks for them. */
    boolean aliasesEnvelope(EventKind kind) {
        Map<String, String> map = aliases.get(kind);
        return !everyKind.isEmpty() || (map != null && map.values().stream().anyMatch(ENVELOPE_FIELDS::contains));
    }

    private static List<String> fieldNames(EventKind kind) {
        List<String> names = new ArrayList<>();
        kind.fields().forEach(f -> names.add(f.name()));
        names.addAll(ENVELOPE_FIELDS);
        return names;
    }
}
