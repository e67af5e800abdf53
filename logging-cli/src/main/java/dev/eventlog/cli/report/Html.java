package dev.eventlog.cli.report;

import java.util.Locale;

/** Escaping and number formats for {@link HtmlReport}. Thread-safe (no state). */
final class Html {
    private Html() {
    }

    /** {@code text} safe inside HTML and SVG text and attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters are not allowed in HTML text; show them as the replacement character.
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A count with thousands separators: {@code 1,234,567}. */
    static String count(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    /** A percentage with two decimals, or an en dash when there is none. */
    static String pct(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.2f %%", value);
    }

    /** A number with {@code decimals} decimals and thousands separators, or an en dash. */
    static String number(Double value, int decimals) {
        return value == null ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
