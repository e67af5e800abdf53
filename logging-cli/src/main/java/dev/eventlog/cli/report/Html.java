package dev.eventlog.cli.report;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Escaping and number formats for {@link HtmlReport}. Thread-safe (no state). */
final class Html {
    /**
     * One extended grapheme cluster: what a reader sees as one character (an emoji with its skin tone,
     * a ZWJ family, a flag, a letter with its accents). Java 17's {@code BreakIterator} splits ZWJ
     * sequences and flags; its regex {@code \X} does not.
     */
    private static final Pattern GRAPHEME = Pattern.compile("\\X");

    private Html() {
    }

    /**
     * {@code text} cut to at most {@code max} user-perceived characters, the last one an ellipsis when
     * it was cut; never inside an emoji, a ZWJ sequence, a flag or a letter with combining marks.
     */
    static String shorten(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        Matcher grapheme = GRAPHEME.matcher(text);
        int clusters = 0;
        int cut = 0;
        while (grapheme.find()) {
            clusters++;
            if (clusters == max) {
                cut = grapheme.start();
            }
            if (clusters > max) {
                return text.substring(0, cut) + "…";
            }
        }
        return text;
    }

    /**
     * Appends a table whose first column is text and the others numbers (right-aligned), every cell
     * escaped; {@code empty} fills its one row when there are no rows.
     */
    static void table(StringBuilder html, List<String> headers, List<List<String>> rows, String empty) {
        html.append("<table><thead><tr>");
        for (int i = 0; i < headers.size(); i++) {
            html.append(i == 0 ? "<th>" : "<th class=\"num\">").append(escape(headers.get(i))).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        if (rows.isEmpty()) {
            html.append("<tr><td colspan=\"").append(headers.size()).append("\">").append(escape(empty))
                    .append("</td></tr>");
        }
        for (List<String> row : rows) {
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                html.append(i == 0 ? "<td>" : "<td class=\"num\">").append(escape(row.get(i))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
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

    /** A percentage for people, one decimal: {@code 46.4 %}, or an en dash when there is none. */
    static String pct(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f %%", value);
    }

    /** US dollars for people, cents and thousands separators: {@code $1,033.17}, or an en dash. */
    static String money(Double usd) {
        if (usd == null) {
            return "–";
        }
        String amount = String.format(Locale.ROOT, "$%,.2f", Math.abs(usd));
        return usd < 0 && !amount.equals("$0.00") ? "−" + amount : amount;
    }

    /** A number with {@code decimals} decimals and thousands separators, or an en dash. */
    static String number(Double value, int decimals) {
        return value == null ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
