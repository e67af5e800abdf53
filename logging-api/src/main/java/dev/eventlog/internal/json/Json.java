package dev.eventlog.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.StoreException;
import java.util.List;
import java.util.Map;

/**
 * The one Jackson configuration eventlog uses for attributes, JSON arrays and JSONL lines.
 *
 * <p>Jackson's read limits are set from the longest line eventlog reads, {@link #MAX_LINE_BYTES}:
 * a string, a number or a key may be as long as a whole line, so no line the reader accepts is
 * refused by a lower, undocumented Jackson default (20 million characters for a string, 1 000
 * digits for a number, 50 000 characters for a key). Nesting is limited to
 * {@link #MAX_NESTING_DEPTH}, far above the deepest event (its attributes nest at most
 * {@link dev.eventlog.Envelope#MAX_ATTRIBUTE_DEPTH} levels under the line's object), so a deeper
 * line is refused with a reason instead of exhausting the stack. Thread-safe.
 */
public final class Json {
    /** The longest JSONL line read by default: 64 MiB. */
    public static final int MAX_LINE_BYTES = 64 * 1024 * 1024;
    /** How deep Jackson reads nested arrays and objects. */
    public static final int MAX_NESTING_DEPTH = 1_000;

    /** The read limits every mapper of eventlog uses. */
    public static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
            .maxStringLength(MAX_LINE_BYTES)
            .maxNumberLength(MAX_LINE_BYTES)
            .maxNameLength(MAX_LINE_BYTES)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .build();

    /** Integers read as {@link Long}, decimals as {@link Double}. */
    public static final ObjectMapper MAPPER = newMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> TEXT_LIST = new TypeReference<>() { };

    private Json() {
    }

    /** A new mapper with Jackson's default features and eventlog's {@link #READ_CONSTRAINTS}. */
    public static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(READ_CONSTRAINTS).build();
        return new ObjectMapper(factory);
    }

    /** {@code value} as compact JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON object text as an attribute map (an {@link dev.eventlog.Envelope} normalises it); {@code null} or blank gives an empty map. */
    public static Map<String, Object> readAttributes(String json) {
        if (json == null || json.isEmpty() || json.equals("{}")) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored attributes are not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON array of strings; {@code null} stays {@code null}. */
    public static List<String> readTextList(String json) {
        if (json == null) {
            return null;
        }
        try {
            return List.copyOf(MAPPER.readValue(json, TEXT_LIST));
        } catch (JsonProcessingException e) {
            throw new StoreException("stored list is not a JSON array of strings: " + e.getOriginalMessage(), e);
        }
    }
}
