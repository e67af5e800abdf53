package dev.eventlog.postgres;

import dev.eventlog.jdbc.RowSink;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

/**
 * A {@link RowSink} that spells a row in PostgreSQL's {@code COPY … FROM STDIN} text format:
 * columns in table order separated by tabs, {@code \N} for null, backslash, tab, newline and
 * carriage return escaped. Which value goes in which column is the
 * {@link dev.eventlog.jdbc.ColumnPlan}'s. Not thread-safe: one instance per thread, reused
 * between rows ({@link #start()}, the plan's values, {@link #end()}).
 */
final class CopyText implements RowSink {
    private final StringBuilder out;
    private boolean first;

    CopyText(StringBuilder out) {
        this.out = out;
    }

    /** Begins a row. */
    void start() {
        first = true;
    }

    /** Ends a row with its line end. */
    void end() {
        out.append('\n');
    }

    private void next() {
        if (first) {
            first = false;
        } else {
            out.append('\t');
        }
    }

    @Override
    public void id(UUID id) {
        next();
        out.append(id);
    }

    @Override
    public void time(Instant ts) {
        next();
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

    @Override
    public void text(String value) {
        next();
        escaped(value);
    }

    @Override
    public void json(String value) {
        next();
        escaped(value);
    }

    @Override
    public void integer(Long value) {
        next();
        if (value == null) {
            out.append("\\N");
        } else {
            out.append((long) value);
        }
    }

    @Override
    public void real(Double value) {
        next();
        if (value == null) {
            out.append("\\N");
        } else {
            out.append((double) value);
        }
    }

    @Override
    public void bool(Boolean value) {
        next();
        if (value == null) {
            out.append("\\N");
        } else {
            out.append(value ? 't' : 'f');
        }
    }

    private void escaped(String value) {
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
