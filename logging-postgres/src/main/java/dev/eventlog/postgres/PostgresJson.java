package dev.eventlog.postgres;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.eventlog.StoreException;
import dev.eventlog.internal.json.Json;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * JSON text for {@code jsonb} columns that reads back as the same Java values. {@code jsonb}
 * keeps numbers as {@code numeric}, which prints {@code 1.0E15} as {@code 1000000000000000}, a
 * text Jackson reads back as a {@link Long}; so a whole-valued {@link Double} is written in plain
 * notation with one decimal ({@code 1000000000000000.0}), which {@code numeric} keeps and prints
 * as written. Text needs nothing: events hold no U+0000, the one character {@code jsonb} refuses.
 * Thread-safe.
 */
final class PostgresJson {
    private static final ObjectMapper MAPPER = Json.MAPPER.copy().registerModule(
            new SimpleModule("eventlog-jsonb").addSerializer(Double.class, new DoubleSerializer()));

    private PostgresJson() {
    }

    /** {@code value} as compact JSON text that {@code jsonb} keeps as read. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The text {@code jsonb} stores for {@code value} so that it prints back as a decimal. */
    static String number(double value) {
        String text = Double.toString(value);
        if (text.indexOf('E') < 0) {
            return text;
        }
        BigDecimal decimal = new BigDecimal(text);
        return decimal.scale() > 0 ? text : decimal.setScale(1).toPlainString();
    }

    private static final class DoubleSerializer extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeNumber(number(value));
        }
    }
}
