package dev.eventlog.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text PostgreSQL prints for a {@code jsonb} value (its output function, which
 * {@code jsonb_send} sends after a version byte), computed from the JSON text the store sends:
 * object keys ordered by their length in UTF-8, then byte by byte, a repeated key keeping its last
 * value; {@code ", "} and {@code ": "} between items; strings escaped as PostgreSQL escapes them
 * ({@code \" \\ \b \f \n \r \t}, other control characters as {@code \}{@code u00xx}, the rest as
 * is); numbers as {@code numeric} prints them (plain notation, as many decimals as written after
 * the exponent is applied, none below zero). {@link PostgresRowDigests} hashes it so that the
 * client's hash of an event equals the database's hash of its row. Thread-safe.
 */
final class JsonbText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonbText() {
    }

    /** The {@code jsonb} output of {@code json}, a JSON text the store would send. */
    static String of(String json) {
        if (json.equals("{}") || json.equals("[]")) {
            return json;
        }
        try (JsonParser parser = FACTORY.createParser(json)) {
            StringBuilder out = new StringBuilder(json.length() + 16);
            value(parser, parser.nextToken(), out);
            return out.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static void value(JsonParser parser, JsonToken token, StringBuilder out) throws IOException {
        switch (token) {
            case START_OBJECT -> object(parser, out);
            case START_ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    out.append(first ? "" : ", ");
                    first = false;
                    value(parser, item, out);
                }
                out.append(']');
            }
            case VALUE_STRING -> string(parser.getText(), out);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.append(number(parser.getText()));
            case VALUE_TRUE -> out.append("true");
            case VALUE_FALSE -> out.append("false");
            case VALUE_NULL -> out.append("null");
            default -> throw new IOException("unexpected " + token);
        }
    }

    private static void object(JsonParser parser, StringBuilder out) throws IOException {
        Map<String, String> members = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String key = parser.currentName();
            StringBuilder item = new StringBuilder();
            value(parser, parser.nextToken(), item);
            members.remove(key);
            members.put(key, item.toString());
        }
        List<byte[]> keys = new ArrayList<>(members.size());
        members.keySet().forEach(k -> keys.add(k.getBytes(StandardCharsets.UTF_8)));
        keys.sort((a, b) -> a.length != b.length ? Integer.compare(a.length, b.length) : Arrays.compareUnsigned(a, b));
        out.append('{');
        boolean first = true;
        for (byte[] bytes : keys) {
            String key = new String(bytes, StandardCharsets.UTF_8);
            out.append(first ? "" : ", ");
            first = false;
            string(key, out);
            out.append(": ").append(members.get(key));
        }
        out.append('}');
    }

    /** A JSON number as {@code numeric} prints it. */
    static String number(String text) {
        BigDecimal decimal = new BigDecimal(text);
        if (decimal.scale() < 0) {
            decimal = decimal.setScale(0);
        }
        return decimal.toPlainString();
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
