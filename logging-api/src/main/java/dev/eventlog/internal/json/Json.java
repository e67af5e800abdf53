package dev.eventlog.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.StoreException;
import java.util.List;
import java.util.Map;

/** The one Jackson configuration eventlog uses for attributes and JSON arrays. Thread-safe. */
public final class Json {
    /** Integers read as {@link Long}, decimals as {@link Double}. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> TEXT_LIST = new TypeReference<>() { };

    private Json() {
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
