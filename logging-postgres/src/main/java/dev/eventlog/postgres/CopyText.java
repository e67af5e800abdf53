package dev.eventlog.postgres;

import dev.eventlog.Event;
import dev.eventlog.EventField;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.List;

/**
 * Writes events as rows of PostgreSQL's {@code COPY … FROM STDIN} text format: columns in table
 * order separated by tabs, {@code \N} for null, backslash, tab, newline and carriage return
 * escaped. Not thread-safe: one instance per thread, reused between rows.
 */
final class CopyText {
    private final StringBuilder out;

    CopyText(StringBuilder out) {
        this.out = out;
    }

    /** Appends one row for {@code event}, with its line end. */
    void row(Event event) {
        out.append(event.id()).append('\t');
        timestamp(event.ts());
        out.append('\t');
        text(event.sessionId());
        out.append('\t');
        text(event.source());
        out.append('\t');
        text(event.attributes().isEmpty() ? "{}" : PostgresJson.write(event.attributes()));
        List<EventField> fields = event.kind().fields();
        for (int i = 0; i < fields.size(); i++) {
            out.append('\t');
            Object value = event.field(i);
            if (value == null) {
                out.append("\\N");
                continue;
            }
            switch (fields.get(i).type()) {
                case TEXT -> text((String) value);
                case INTEGER -> out.append((long) (Long) value);
                case REAL -> out.append((double) (Double) value);
                case BOOLEAN -> out.append((Boolean) value ? 't' : 'f');
                case TEXT_LIST -> text(PostgresJson.write(value));
            }
        }
        out.append('\n');
    }

    private void timestamp(Instant ts) {
        // ISO-8601 in UTC, which timestamptz reads whatever the session's TimeZone and DateStyle;
        // years outside 1..9999 are spelled as PostgreSQL writes them (no '+' sign, 'BC').
        String iso = ts.toString();
        if (iso.charAt(0) == '+') {
            out.append(iso, 1, iso.length());
        } else if (iso.charAt(0) == '-' || iso.startsWith("0000-")) {
            LocalDateTime utc = LocalDateTime.ofInstant(ts, ZoneOffset.UTC);
            out.append(String.format(Locale.ROOT, "%04d", 1 - utc.getYear()))
                    .append(utc.toString().substring(utc.toString().indexOf('-', 1))).append("Z BC");
        } else {
            out.append(iso);
        }
    }

    private void text(String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
