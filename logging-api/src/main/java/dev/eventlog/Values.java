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
 *
 * <p>It also enforces the event limits (README, "Event limits"), so that an event every store
 * can encode is the only kind that exists: attributes nest at most {@link #MAX_DEPTH} deep and
 * encode to at most {@link #MAX_ATTRIBUTES_BYTES} of JSON, one text value holds at most
 * {@link #MAX_TEXT_BYTES} of UTF-8, a list at most {@link #MAX_LIST_ITEMS} items. The walk stops
 * at the first limit it passes and never recurses deeper than {@link #MAX_DEPTH}, so a cyclic or
 * very deep map is refused with {@link InvalidEventException}, never a {@link StackOverflowError}.
 */
final class Values {
    static final int MAX_DEPTH = Envelope.MAX_ATTRIBUTE_DEPTH;
    static final long MAX_ATTRIBUTES_BYTES = Envelope.MAX_ATTRIBUTES_BYTES;
    static final long MAX_TEXT_BYTES = Envelope.MAX_TEXT_BYTES;
    static final int MAX_LIST_ITEMS = Envelope.MAX_LIST_ITEMS;

    private Values() {
    }

    /**
     * The value of {@code field} with every U+0000 and every unpaired surrogate replaced by U+FFFD:
     * neither can be stored in PostgreSQL or written as UTF-8, so every store keeps the same
     * replacement. {@code null} stays {@code null}.
     *
     * @throws InvalidEventException when the value holds more than {@link #MAX_TEXT_BYTES} of UTF-8
     */
    public static String text(String field, String text) {
        if (text == null) {
            return null;
        }
        checkTextSize(field, text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' || Character.isSurrogate(c)) {
                return replaceFrom(text, i);
            }
        }
        return text;
    }

    private static void checkTextSize(String field, String text) {
        // A char is at most 3 UTF-8 bytes (a surrogate pair 4 for two chars): count only when it may matter.
        if ((long) text.length() * 3 > MAX_TEXT_BYTES) {
            long bytes = utf8Length(text);
            if (bytes > MAX_TEXT_BYTES) {
                throw new InvalidEventException(field + " was " + bytes + " bytes of UTF-8 text ('"
                        + abbreviate(text) + "') but one text value must be at most " + MAX_TEXT_BYTES
                        + " bytes (4 MiB)");
            }
        }
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
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
        if (list.size() > MAX_LIST_ITEMS) {
            throw new InvalidEventException(field + " held " + list.size() + " items but a list must hold at most "
                    + MAX_LIST_ITEMS);
        }
        List<String> copy = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new InvalidEventException(field + " held '" + item + "' but it must hold only strings");
            }
            copy.add(text(field, s));
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

    /**
     * An immutable, normalised copy of {@code attributes}; {@code null} becomes an empty map.
     *
     * @throws InvalidEventException naming the attribute's path when a value is not JSON-shaped
     *     or a limit is passed
     */
    public static Map<String, Object> attributes(Map<String, ?> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        Walk walk = new Walk();
        Map<String, Object> copy = walk.map("attributes", attributes, 1);
        return copy;
    }

    /** One walk over an attribute tree: the JSON bytes counted so far, to stop as soon as the limit is passed. */
    private static final class Walk {
        private long bytes;

        private void add(String path, long more) {
            bytes += more;
            if (bytes > MAX_ATTRIBUTES_BYTES) {
                throw new InvalidEventException("attributes passed " + MAX_ATTRIBUTES_BYTES
                        + " bytes (8 MiB) encoded as JSON at " + path
                        + " but the attributes must encode to at most 8 MiB");
            }
        }

        private void depth(String path, int depth) {
            if (depth > MAX_DEPTH) {
                throw new InvalidEventException(path + " nests " + depth + " levels deep (a cycle?) but attributes "
                        + "may nest at most " + MAX_DEPTH + " levels");
            }
        }

        Map<String, Object> map(String path, Map<?, ?> map, int depth) {
            depth(path, depth);
            add(path, 2);
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, Math.min(map.size(), MAX_LIST_ITEMS) * 2));
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new InvalidEventException(path + " has key '" + entry.getKey() + "' but keys must be strings");
                }
                String childPath = path + "." + abbreviate(key);
                String cleanKey = text(childPath + " (the key)", key);
                add(childPath, jsonStringBytes(cleanKey) + (first ? 1 : 2));
                first = false;
                copy.put(cleanKey, value(childPath, entry.getValue(), depth));
            }
            return Collections.unmodifiableMap(copy);
        }

        private Object value(String path, Object value, int depth) {
            if (value == null) {
                add(path, 4);
                return null;
            }
            if (value instanceof Boolean b) {
                add(path, b ? 4 : 5);
                return value;
            }
            if (value instanceof Long l) {
                add(path, Long.toString(l).length());
                return value;
            }
            if (value instanceof String s) {
                String clean = text(path, s);
                add(path, jsonStringBytes(clean));
                return clean;
            }
            if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                long l = ((Number) value).longValue();
                add(path, Long.toString(l).length());
                return l;
            }
            if (value instanceof BigInteger big && big.bitLength() < 64) {
                add(path, big.toString().length());
                return big.longValue();
            }
            if (value instanceof Double || value instanceof Float || value instanceof BigDecimal
                    || value instanceof BigInteger) {
                double d = ((Number) value).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new InvalidEventException(path + " was '" + abbreviate(value.toString())
                            + "' but it must be a finite number");
                }
                add(path, Double.toString(d).length());
                return d;
            }
            if (value instanceof Map<?, ?> map) {
                return map(path, map, depth + 1);
            }
            if (value instanceof Iterable<?> items) {
                return list(path, items, depth + 1);
            }
            if (value instanceof Object[] array) {
                return list(path, java.util.Arrays.asList(array), depth + 1);
            }
            throw new InvalidEventException(path + " was a " + value.getClass().getName()
                    + " but attributes hold only strings, numbers, booleans, lists and maps");
        }

        private List<Object> list(String path, Iterable<?> items, int depth) {
            depth(path, depth);
            add(path, 2);
            List<Object> list = new ArrayList<>();
            int i = 0;
            for (Object item : items) {
                if (i == MAX_LIST_ITEMS) {
                    throw new InvalidEventException(path + " held more than " + MAX_LIST_ITEMS
                            + " items but a list must hold at most " + MAX_LIST_ITEMS);
                }
                String itemPath = path + "[" + i + "]";
                add(itemPath, i == 0 ? 0 : 1);
                list.add(value(itemPath, item, depth));
                i++;
            }
            return Collections.unmodifiableList(list);
        }
    }

    /** The bytes {@code text} takes as a JSON string: quotes, UTF-8, and escapes. */
    private static long jsonStringBytes(String text) {
        long bytes = 2 + utf8Length(text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                bytes++;
            } else if (c < 0x20) {
                bytes += 5;
            }
        }
        return bytes;
    }
}
