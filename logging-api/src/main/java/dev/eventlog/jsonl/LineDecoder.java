package dev.eventlog.jsonl;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.eventlog.Envelope;
import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.InvalidEventException;
import dev.eventlog.internal.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one JSONL line into an event of one kind by the import rules (README, "Migrating from JSONL"): key
 * aliases (of typed and envelope fields), time from {@code ts} or {@code timestamp} (or an alias of
 * {@code ts}) in any of the accepted forms, lenient
 * booleans and numeric strings, unknown keys into the attributes. Lines this library writes are
 * a special case of the same rules. Thread-safe.
 */
public final class LineDecoder {
    // The node factory of Mappers.PLAIN's tree reader (an ObjectMapper's default): a line's values are
    // made with it without building the mapper, which 'eventlog log' (a line given as its tree) never needs.
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // The latest valid time in epoch seconds: a number up to it is seconds, a larger one milliseconds.
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Envelope.MAX_TS.toEpochMilli(), 3);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    // The indexes of the envelope fields in KeyAliases.ENVELOPE_FIELDS.
    private static final int ENVELOPE_TS = KeyAliases.ENVELOPE_FIELDS.indexOf("ts");
    private static final int ENVELOPE_ID = KeyAliases.ENVELOPE_FIELDS.indexOf("id");
    private static final int ENVELOPE_SESSION_ID = KeyAliases.ENVELOPE_FIELDS.indexOf("session_id");
    private static final int ENVELOPE_SOURCE = KeyAliases.ENVELOPE_FIELDS.indexOf("source");
    private static final Pattern COMPACT_OFFSET = Pattern.compile("T.*([+-]\\d{2})(\\d{2})$");

    private final EventKind kind;
    private final KeyAliases aliases;
    // Whether an alias stands for an envelope field; without one, a line needs no room for them.
    private final boolean envelopeAliases;

    /** A decoder for lines of {@code kind} using {@code aliases}. */
    public LineDecoder(EventKind kind, KeyAliases aliases) {
        this.kind = kind;
        this.aliases = aliases;
        this.envelopeAliases = aliases.aliasesEnvelope(kind);
    }

    /** The kind this decoder makes. */
    public EventKind kind() {
        return kind;
    }

    /**
     * Decodes {@code line} (no line terminator, not blank).
     *
     * @param derivedId makes the id of a line that has none, from its time in epoch milliseconds
     * @throws RejectedLineException with the reason when the line is not an event by the rules
     */
    public Event decode(String line, LongFunction<UUID> derivedId) throws RejectedLineException {
        return decode(parse(line), derivedId);
    }

    /**
     * Parses {@code line} (no line terminator) into its JSON object, as {@link #decode(String,
     * LongFunction)} does first: for a caller that must look at a field (such as {@code kind})
     * before choosing the decoder, without parsing the line twice.
     *
     * @throws RejectedLineException when the line is not one JSON object
     */
    public static JsonNode parse(String line) throws RejectedLineException {
        if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
            // A byte order mark left by an editor: not part of the JSON.
            line = line.substring(1);
        }
        JsonNode root;
        try {
            root = Mappers.READER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RejectedLineException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RejectedLineException("not a JSON object but " + (root == null ? "nothing" : article(root)));
        }
        return root;
    }

    /**
     * Decodes a line already {@linkplain #parse(String) parsed}.
     *
     * @param root the line's JSON object, from {@link #parse(String)}
     * @param derivedId makes the id of a line that has none, from its time in epoch milliseconds
     * @throws RejectedLineException with the reason when the line is not an event by the rules
     */
    public Event decode(JsonNode root, LongFunction<UUID> derivedId) throws RejectedLineException {
        if (root == null || !root.isObject()) {
            throw new RejectedLineException("not a JSON object but " + (root == null ? "nothing" : article(root)));
        }
        Members members = new Members(root.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            members.add(entry.getKey(), entry.getValue());
        }
        return decode(members, derivedId);
    }

    /**
     * Decodes a line given as its bytes, which must be valid UTF-8 (no line terminator, not
     * blank): the same event, or the same rejection, as {@link #decode(String, LongFunction)} of
     * its text. A line of ASCII is read by a streaming parser straight from the bytes, without
     * the line's text or its object tree; any other line, and any line the streaming read does
     * not take as one plain JSON object (a parse error, a repeated key), is decoded from its text.
     *
     * @param derivedId makes the id of a line that has none, from its time in epoch milliseconds
     * @throws RejectedLineException with the reason when the line is not an event by the rules
     */
    public Event decode(byte[] utf8, int length, LongFunction<UUID> derivedId) throws RejectedLineException {
        Members members = isAscii(utf8, length) ? stream(utf8, length) : null;
        if (members == null) {
            return decode(new String(utf8, 0, length, StandardCharsets.UTF_8), derivedId);
        }
        return decode(members, derivedId);
    }

    /**
     * The members of the one JSON object in {@code bytes}, each value made as the tree reader of
     * {@link #parse(String)} makes it; {@code null} when the bytes are anything else (the text
     * path then gives the reason).
     */
    private static Members stream(byte[] bytes, int length) {
        try (JsonParser parser = Mappers.PLAIN.getFactory().createParser(bytes, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Members members = new Members(16);
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String key = parser.currentName();
                if (members.has(key)) {
                    return null;
                }
                members.add(key, value(parser, parser.nextToken()));
            }
            return parser.nextToken() == null ? members : null;
        } catch (IOException e) {
            // Not one JSON object by the streaming read: the text path reads it again and says why.
            return null;
        }
    }

    /** The node Jackson's tree reader (with {@code USE_BIG_DECIMAL_FOR_FLOATS}) makes of the current value. */
    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> decimal(parser.getDecimalValue());
            default -> Mappers.SUBTREE.readTree(parser);
        };
    }

    private static JsonNode decimal(BigDecimal value) {
        BigDecimal decimal = value;
        if (NODES.willStripTrailingBigDecimalZeroes()) {
            try {
                decimal = value.stripTrailingZeros();
            } catch (ArithmeticException e) {
                // As the tree reader does: a value whose scale would overflow is kept as written.
                decimal = value;
            }
        }
        return NODES.numberNode(decimal);
    }

    private static boolean isAscii(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private Event decode(Members members, LongFunction<UUID> derivedId) throws RejectedLineException {
        Object[] values = new Object[kind.fields().size()];
        boolean[] canonical = new boolean[values.length];
        String[] aliasKeys = new String[values.length];
        JsonNode[] aliasValues = new JsonNode[values.length];
        Map<String, Object> attributes = new LinkedHashMap<>();
        UUID id = null;
        JsonNode ts = null;
        String tsKey = null;
        JsonNode timestamp = null;
        String sessionId = null;
        boolean hasSessionId = false;
        String source = null;
        boolean hasSource = false;
        // The first alias met of each envelope field, by its index in KeyAliases.ENVELOPE_FIELDS.
        String[] envelopeKeys = envelopeAliases ? new String[KeyAliases.ENVELOPE_FIELDS.size()] : null;
        JsonNode[] envelopeValues = envelopeAliases ? new JsonNode[envelopeKeys.length] : null;

        for (int m = 0; m < members.size; m++) {
            String key = members.keys[m];
            JsonNode value = members.values[m];
            int index = kind.indexOf(key);
            if (index >= 0) {
                values[index] = coerce(kind.fields().get(index), value);
                canonical[index] = true;
                continue;
            }
            switch (key) {
                case "id" -> {
                    UUID uuid = value.isTextual() ? parseUuid(value.textValue()) : null;
                    if (uuid != null) {
                        id = uuid;
                    } else if (!alias(key, value, aliasKeys, aliasValues, envelopeKeys, envelopeValues, attributes)) {
                        attributes.put(key, toJava(value));
                    }
                }
                case "ts" -> ts = value;
                case "timestamp" -> timestamp = value;
                case "kind" -> {
                    if (!(value.isTextual() && value.textValue().equals(kind.key()))) {
                        attributes.put(key, toJava(value));
                    }
                }
                case "session_id" -> {
                    sessionId = text("session_id", value);
                    hasSessionId = true;
                }
                case "source" -> {
                    source = text("source", value);
                    hasSource = true;
                }
                case "attributes" -> {
                    if (value.isObject()) {
                        value.fields().forEachRemaining(e -> attributes.put(e.getKey(), toJava(e.getValue())));
                    } else {
                        attributes.put(key, toJava(value));
                    }
                }
                default -> {
                    if (!alias(key, value, aliasKeys, aliasValues, envelopeKeys, envelopeValues, attributes)) {
                        attributes.put(key, toJava(value));
                    }
                }
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (aliasKeys[i] == null) {
                continue;
            }
            if (canonical[i]) {
                // The canonical key wins; the alias's value is kept, so nothing is lost.
                attributes.put(aliasKeys[i], toJava(aliasValues[i]));
            } else {
                values[i] = coerce(kind.fields().get(i), aliasValues[i]);
            }
        }
        JsonNode aliasedTime = null;
        String aliasedTimeKey = null;
        if (envelopeKeys != null) {
            // As for typed fields, the canonical key wins and the alias is kept in the attributes.
            if (envelopeKeys[ENVELOPE_TS] != null) {
                if (isAbsent(ts) && isAbsent(timestamp)) {
                    aliasedTimeKey = envelopeKeys[ENVELOPE_TS];
                    aliasedTime = envelopeValues[ENVELOPE_TS];
                } else {
                    attributes.put(envelopeKeys[ENVELOPE_TS], toJava(envelopeValues[ENVELOPE_TS]));
                }
            }
            if (envelopeKeys[ENVELOPE_ID] != null) {
                JsonNode value = envelopeValues[ENVELOPE_ID];
                UUID uuid = id == null && value.isTextual() ? parseUuid(value.textValue()) : null;
                if (uuid != null) {
                    id = uuid;
                } else {
                    attributes.put(envelopeKeys[ENVELOPE_ID], toJava(value));
                }
            }
            if (envelopeKeys[ENVELOPE_SESSION_ID] != null) {
                if (hasSessionId) {
                    attributes.put(envelopeKeys[ENVELOPE_SESSION_ID], toJava(envelopeValues[ENVELOPE_SESSION_ID]));
                } else {
                    sessionId = text(envelopeKeys[ENVELOPE_SESSION_ID], envelopeValues[ENVELOPE_SESSION_ID]);
                }
            }
            if (envelopeKeys[ENVELOPE_SOURCE] != null) {
                if (hasSource) {
                    attributes.put(envelopeKeys[ENVELOPE_SOURCE], toJava(envelopeValues[ENVELOPE_SOURCE]));
                } else {
                    source = text(envelopeKeys[ENVELOPE_SOURCE], envelopeValues[ENVELOPE_SOURCE]);
                }
            }
        }
        Instant time;
        if (!isAbsent(ts)) {
            time = time("ts", ts);
            if (timestamp != null) {
                attributes.put("timestamp", toJava(timestamp));
            }
        } else if (!isAbsent(timestamp)) {
            time = time("timestamp", timestamp);
            if (ts != null && !ts.isNull()) {
                attributes.put("ts", toJava(ts));
            }
        } else if (!isAbsent(aliasedTime)) {
            time = time(aliasedTimeKey, aliasedTime);
            if (ts != null && !ts.isNull()) {
                attributes.put("ts", toJava(ts));
            }
            if (timestamp != null && !timestamp.isNull()) {
                attributes.put("timestamp", toJava(timestamp));
            }
        } else if (aliasedTimeKey != null) {
            throw new RejectedLineException("no time: neither 'ts', 'timestamp' nor '" + aliasedTimeKey
                    + "' holds a value");
        } else {
            throw new RejectedLineException("no time: neither 'ts' nor 'timestamp' holds a value");
        }
        if (id == null) {
            id = derivedId.apply(time.toEpochMilli());
        }
        try {
            return kind.create(new Envelope(id, time, sessionId, source, attributes), values);
        } catch (InvalidEventException e) {
            throw new RejectedLineException(e.getMessage());
        }
    }

    private boolean alias(String key, JsonNode value, String[] aliasKeys, JsonNode[] aliasValues,
            String[] envelopeKeys, JsonNode[] envelopeValues, Map<String, Object> attributes) {
        String field = aliases.fieldFor(kind, key);
        if (field == null) {
            return false;
        }
        int index = kind.indexOf(field);
        if (index < 0) {
            // An envelope field (only aliases of one make this decoder keep envelopeKeys).
            index = KeyAliases.ENVELOPE_FIELDS.indexOf(field);
            aliasKeys = envelopeKeys;
            aliasValues = envelopeValues;
        }
        if (aliasKeys[index] != null) {
            // A second alias of the same field: the first one wins, this one is kept.
            attributes.put(key, toJava(value));
        } else {
            aliasKeys[index] = key;
            aliasValues[index] = value;
        }
        return true;
    }

    private static Object coerce(EventField field, JsonNode value) throws RejectedLineException {
        if (value.isNull()) {
            return null;
        }
        return switch (field.type()) {
            case TEXT -> text(field.name(), value);
            case INTEGER -> integer(field.name(), value);
            case REAL -> real(field.name(), value);
            case BOOLEAN -> bool(field.name(), value);
            case TEXT_LIST -> textList(field.name(), value);
        };
    }

    private static String text(String name, JsonNode value) throws RejectedLineException {
        if (value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBigDecimal()) {
            return value.decimalValue().toPlainString();
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        throw new RejectedLineException(name + " was " + article(value) + " but it must be text");
    }

    private static Long integer(String name, JsonNode value) throws RejectedLineException {
        BigDecimal number = number(name, value, "an integer");
        try {
            return number.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw new RejectedLineException(name + " was '" + shown(value) + "' but it must be an integer");
        }
    }

    private static Double real(String name, JsonNode value) throws RejectedLineException {
        double d = number(name, value, "a number").doubleValue();
        if (!Double.isFinite(d)) {
            throw new RejectedLineException(name + " was '" + shown(value) + "' but it must be a finite number");
        }
        return d;
    }

    private static BigDecimal number(String name, JsonNode value, String what) throws RejectedLineException {
        if (value.isNumber()) {
            return value.isBigDecimal() ? value.decimalValue() : new BigDecimal(value.bigIntegerValue());
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.textValue().trim());
            } catch (NumberFormatException e) {
                // Falls through to the rejection below.
            }
        }
        throw new RejectedLineException(name + " was '" + shown(value) + "' but it must be " + what);
    }

    private static Boolean bool(String name, JsonNode value) throws RejectedLineException {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            BigDecimal number = value.isBigDecimal() ? value.decimalValue() : new BigDecimal(value.bigIntegerValue());
            if (number.compareTo(BigDecimal.ONE) == 0) {
                return true;
            }
            if (number.signum() == 0) {
                return false;
            }
        } else if (value.isTextual()) {
            switch (value.textValue().trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> {
                    return true;
                }
                case "false", "no", "0" -> {
                    return false;
                }
                default -> {
                    // Falls through to the rejection below.
                }
            }
        }
        throw new RejectedLineException(name + " was '" + shown(value) + "' but it must be a boolean");
    }

    private static List<String> textList(String name, JsonNode value) throws RejectedLineException {
        if (!value.isArray()) {
            throw new RejectedLineException(name + " was " + article(value) + " but it must be an array of text");
        }
        List<String> list = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (item.isNull() || item.isContainerNode()) {
                throw new RejectedLineException(name + " held " + article(item) + " but it must hold only text");
            }
            list.add(text(name, item));
        }
        return list;
    }

    private static Instant time(String key, JsonNode value) throws RejectedLineException {
        BigDecimal number = null;
        if (value.isNumber()) {
            number = value.isBigDecimal() ? value.decimalValue() : new BigDecimal(value.bigIntegerValue());
        } else if (value.isTextual()) {
            String text = value.textValue().trim();
            try {
                number = new BigDecimal(text);
            } catch (NumberFormatException notANumber) {
                return isoTime(key, text);
            }
        }
        if (number == null) {
            throw new RejectedLineException(key + " was " + article(value) + " but it must be a time");
        }
        BigDecimal millis = number.compareTo(MAX_SECONDS) > 0 ? number : number.multiply(THOUSAND);
        Instant time;
        try {
            time = Instant.ofEpochMilli(millis.setScale(0, RoundingMode.FLOOR).longValueExact());
        } catch (ArithmeticException | java.time.DateTimeException e) {
            throw new RejectedLineException(key + " was '" + shown(value) + "' but it must be a time in "
                    + Envelope.MIN_TS + " .. " + Envelope.MAX_TS);
        }
        return inRange(key, value, time);
    }

    private static Instant inRange(String key, JsonNode value, Instant time) throws RejectedLineException {
        try {
            return Envelope.checkTime(key, time);
        } catch (InvalidEventException e) {
            throw new RejectedLineException(key + " was '" + shown(value) + "' (" + time + ") but it must lie in "
                    + Envelope.MIN_TS + " .. " + Envelope.MAX_TS);
        }
    }

    private static Instant isoTime(String key, String text) throws RejectedLineException {
        return inRange(key, NODES.textNode(text), parseIso(key, text));
    }

    private static Instant parseIso(String key, String text) throws RejectedLineException {
        String iso = text.toUpperCase(Locale.ROOT);
        if (iso.length() > 10 && iso.charAt(10) == ' ') {
            iso = iso.substring(0, 10) + 'T' + iso.substring(11);
        }
        Matcher compactOffset = COMPACT_OFFSET.matcher(iso);
        if (compactOffset.find()) {
            iso = iso.substring(0, compactOffset.start(1)) + compactOffset.group(1) + ":" + compactOffset.group(2);
        }
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADateTime) {
                try {
                    return LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e) {
                    throw new RejectedLineException(key + " was '" + abbreviate(text)
                            + "' but it must be epoch seconds, epoch milliseconds or ISO-8601 text");
                }
            }
        }
    }

    /** Whether a time key is missing, null or blank text: then the other time key is used. */
    private static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull() || (value.isTextual() && value.textValue().isBlank());
    }

    /**
     * Reads a time the way {@code ts} is read in lines, for tools that take times on the command
     * line: a number up to 253 402 300 799.999 (9999-12-31T23:59:59.999Z in seconds) is epoch
     * seconds, a larger number epoch milliseconds; text is ISO-8601 with or without offset (none
     * means UTC). The time must lie in {@link Envelope#MIN_TS} .. {@link Envelope#MAX_TS}.
     *
     * @throws RejectedLineException with the reason when {@code text} is no time or out of range
     */
    public static Instant parseTime(String text) throws RejectedLineException {
        return time("time", NODES.textNode(text));
    }

    private static UUID parseUuid(String text) {
        if (text.length() != 36 || text.charAt(8) != '-' || text.charAt(13) != '-') {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Object toJava(JsonNode value) {
        return Mappers.PLAIN.convertValue(value, Object.class);
    }

    private static String article(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case STRING -> "text";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String shown(JsonNode value) {
        return abbreviate(value.isTextual() ? value.textValue() : value.toString());
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** A JSON object's members in order, without a map: a line holds a dozen at most, read once each. */
    private static final class Members {
        String[] keys;
        JsonNode[] values;
        int size;

        Members(int capacity) {
            keys = new String[Math.max(capacity, 1)];
            values = new JsonNode[keys.length];
        }

        void add(String key, JsonNode value) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            size++;
        }

        boolean has(String key) {
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The mappers, built at the first line read from text or bytes or the first attribute
     * converted: building an {@link ObjectMapper} is a good part of a JVM start that decodes
     * one line given as its tree ({@code eventlog log}).
     */
    private static final class Mappers {
        // Integers keep their natural size (a value beyond 64 bits is valid JSON, and an unknown key may
        // hold one); typed fields check their own range, attributes get Long or, when it does not fit, Double.
        static final ObjectMapper PLAIN = Json.newMapper();
        static final ObjectReader READER = PLAIN.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // The same tree reader for one member's object or array inside a line read by the streaming parser.
        static final ObjectReader SUBTREE = PLAIN.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** Whether the tree reader makes its nodes with {@link #NODES}, as the streaming read does (a test checks it). */
    static boolean sameNodeFactory() {
        return Mappers.PLAIN.getDeserializationConfig().getNodeFactory() == NODES;
    }
}
