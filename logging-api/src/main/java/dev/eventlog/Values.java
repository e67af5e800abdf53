package dev.eventlog;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Normalises the values events hold so that every store keeps the same thing: U+0000 becomes
 * U+FFFD, numbers are finite, attributes are immutable JSON-shaped trees of String, Long, Double,
 * Boolean, List and Map.
 */
final class Values {
    private Values() {
    }

    /**
     * {@code text} with every U+0000 and every unpaired surrogate replaced by U+FFFD: neither can
     * be stored in PostgreSQL or written as UTF-8, so every store keeps the same replacement.
     * {@code null} stays {@code null}.
     */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' || Character.isSurrogate(c)) {
                return replaceFrom(text, i);
            }
        }
        return text;
    }

    private static String replaceFrom(String text, int start) {
        StringBuilder clean = new StringBuilder(text.length()).append(text, 0, start);
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                clean.append('\uFFFD');
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                clean.append(c).append(text.charAt(++i));
            } else {
                clean.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return clean.toString();
    }

    /** {@code value} unchanged when finite or {@code null}. */
    public static Double real(String field, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new InvalidEventException(field + " was '" + value + "' but it must be a finite number");
        }
        return value;
    }

    /** An immutable copy of {@code list} with U+0000 replaced; rejects null elements. */
    public static List<String> textList(String field, List<String> list) {
        if (list == null) {
            return null;
        }
        List<String> copy = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new InvalidEventException(field + " held '" + item + "' but it must hold only strings");
            }
            copy.add(text(s));
        }
        return Collections.unmodifiableList(copy);
    }

    /** {@code value} when not {@code null}. */
    public static <T> T require(String field, T value) {
        if (value == null) {
            throw new InvalidEventException(field + " was null but it is required");
        }
        return value;
    }

    /** An immutable, normalised copy of {@code attributes}; {@code null} becomes an empty map. */
    public static Map<String, Object> attributes(Map<String, ?> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        return normaliseMap("attributes", attributes);
    }

    private static Map<String, Object> normaliseMap(String path, Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new InvalidEventException(path + " has key '" + entry.getKey() + "' but keys must be strings");
            }
            copy.put(text(key), normalise(path + "." + key, entry.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object normalise(String path, Object value) {
        if (value == null || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        if (value instanceof String s) {
            return text(s);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : big.doubleValue();
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new InvalidEventException(path + " was '" + value + "' but it must be a finite number");
            }
            return d;
        }
        if (value instanceof Map<?, ?> map) {
            return normaliseMap(path, map);
        }
        if (value instanceof Iterable<?> items) {
            List<Object> list = new ArrayList<>();
            int i = 0;
            for (Object item : items) {
                list.add(normalise(path + "[" + i++ + "]", item));
            }
            return Collections.unmodifiableList(list);
        }
        if (value instanceof Object[] array) {
            return normalise(path, java.util.Arrays.asList(array));
        }
        throw new InvalidEventException(path + " was a " + value.getClass().getName()
                + " but attributes hold only strings, numbers, booleans, lists and maps");
    }
}
