package dev.eventlog.cli.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small hand-written SVG charts for {@link HtmlReport}: horizontal bars, stacked columns and a
 * donut. Each chart is an {@code <svg class="chart" data-chart="ID" data-marks="N">} whose drawn
 * shapes carry {@code class="mark"}, so a test (or a browser) can check that every mark is there.
 * Text is escaped. Thread-safe (no state).
 */
final class SvgCharts {
    /** Colours readable on white and told apart by most colour-blind readers. */
    static final List<String> PALETTE = List.of("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6",
            "#06b6d4", "#ec4899", "#84cc16", "#f97316", "#64748b");

    private static final int WIDTH = 560;

    /** The widest a character of a 12px label is drawn (digits and most letters are narrower). */
    static final double LABEL_CHAR_WIDTH = 8;

    /** The least room between two written column labels. */
    static final double LABEL_GAP = 8;

    /** One bar or slice: its label, its value, the text shown beside it and its colour. */
    record Item(String label, double value, String text, String colour) {
    }

    /** One stacked column: its label and its segments (value and colour), bottom first. */
    record Column(String label, List<Item> segments) {
    }

    private SvgCharts() {
    }

    /** Horizontal bars scaled to {@code max} (or to the largest value when {@code max} is 0). */
    static String bars(String id, String title, List<Item> items, double max) {
        if (items.isEmpty()) {
            return empty(id, title);
        }
        double scale = max > 0 ? max : items.stream().mapToDouble(Item::value).max().orElse(1);
        int label = 170;
        int area = WIDTH - label - 90;
        int row = 26;
        int height = items.size() * row + 8;
        StringBuilder svg = open(id, title, height, (int) items.stream().filter(i -> i.value() > 0).count());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            int y = 4 + i * row;
            double w = scale <= 0 ? 0 : Math.max(item.value() / scale * area, item.value() > 0 ? 2 : 0);
            svg.append("<g><title>").append(Html.escape(item.label() + ": " + item.text())).append("</title>")
                    .append("<text x=\"").append(label - 8).append("\" y=\"").append(y + 17)
                    .append("\" text-anchor=\"end\" class=\"label\">").append(Html.escape(Html.shorten(item.label(), 24)))
                    .append("</text>")
                    .append("<rect x=\"").append(label).append("\" y=\"").append(y + 3).append("\" width=\"")
                    .append(area).append("\" height=\"18\" class=\"track\"/>")
                    .append("<rect").append(item.value() > 0 ? " class=\"mark\"" : "").append(" x=\"")
                    .append(label).append("\" y=\"").append(y + 3)
                    .append("\" width=\"").append(num(w)).append("\" height=\"18\" fill=\"").append(item.colour())
                    .append("\"/>")
                    .append("<text x=\"").append(label + area + 6).append("\" y=\"").append(y + 17)
                    .append("\" class=\"value\">").append(Html.escape(item.text())).append("</text></g>");
        }
        return svg.append("</svg>").toString();
    }

    /** One row of a percentile chart: its label, the median and the 95th percentile, and their texts. */
    record Spread(String label, double p50, double p95, String p50Text, String p95Text) {
    }

    /**
     * One row per item: a pale bar to the 95th percentile with a dark bar to the median over it, both
     * scaled to the largest 95th percentile, and the two values written beside them.
     */
    static String spreads(String id, String title, List<Spread> items, String colour, String paleColour) {
        if (items.isEmpty()) {
            return empty(id, title);
        }
        double scale = items.stream().mapToDouble(i -> Math.max(i.p50(), i.p95())).max().orElse(0);
        int label = 170;
        int area = WIDTH - label - 150;
        int row = 26;
        int marks = (int) items.stream().mapToLong(i -> (i.p50() > 0 ? 1 : 0) + (i.p95() > 0 ? 1 : 0)).sum();
        int legend = 22;
        StringBuilder svg = open(id, title, items.size() * row + 8 + legend, marks);
        svg.append("<rect x=\"").append(label).append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"").append(colour)
                .append("\"/><text x=\"").append(label + 16).append("\" y=\"14\" class=\"label\">median (p50)</text>")
                .append("<rect x=\"").append(label + 120).append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"")
                .append(paleColour).append("\"/><text x=\"").append(label + 136)
                .append("\" y=\"14\" class=\"label\">95th percentile (p95)</text>");
        for (int i = 0; i < items.size(); i++) {
            Spread item = items.get(i);
            int y = legend + 4 + i * row;
            svg.append("<g><title>").append(Html.escape(item.label() + ": p50 " + item.p50Text() + ", p95 "
                    + item.p95Text())).append("</title>")
                    .append("<text x=\"").append(label - 8).append("\" y=\"").append(y + 17)
                    .append("\" text-anchor=\"end\" class=\"label\">").append(Html.escape(Html.shorten(item.label(), 24)))
                    .append("</text>")
                    .append("<rect x=\"").append(label).append("\" y=\"").append(y + 3).append("\" width=\"")
                    .append(area).append("\" height=\"18\" class=\"track\"/>");
            bar(svg, label, y + 3, 18, item.p95() / scale * area, paleColour);
            bar(svg, label, y + 7, 10, item.p50() / scale * area, colour);
            svg.append("<text x=\"").append(label + area + 6).append("\" y=\"").append(y + 17)
                    .append("\" class=\"value\">").append(Html.escape(item.p50Text() + " · " + item.p95Text()))
                    .append("</text></g>");
        }
        return svg.append("</svg>").toString();
    }

    /** A bar mark of {@code width} (at least 2 so that a small value shows), none when it is not positive. */
    private static void bar(StringBuilder svg, int x, int y, int height, double width, String colour) {
        if (!(width > 0)) {
            return;
        }
        svg.append("<rect class=\"mark\" x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"")
                .append(num(Math.max(width, 2))).append("\" height=\"").append(height).append("\" fill=\"")
                .append(colour).append("\"/>");
    }

    /** Columns of stacked segments, one per label (e.g. per day), with a legend of {@code legend}. */
    static String columns(String id, String title, List<Column> columns, Map<String, String> legend) {
        if (columns.isEmpty()) {
            return empty(id, title);
        }
        int marks = columns.stream().mapToInt(c -> (int) c.segments().stream().filter(s -> s.value() > 0).count()).sum();
        double max = columns.stream().mapToDouble(c -> c.segments().stream().mapToDouble(Item::value).sum()).max()
                .orElse(1);
        int left = 48;
        int top = 10;
        int plot = 200;
        int legendRows = (legend.size() + 3) / 4;
        int height = top + plot + 40 + legendRows * 20;
        StringBuilder svg = open(id, title, height, marks);
        svg.append("<line x1=\"").append(left).append("\" y1=\"").append(top + plot).append("\" x2=\"").append(WIDTH)
                .append("\" y2=\"").append(top + plot).append("\" class=\"axis\"/>");
        svg.append("<text x=\"").append(left - 6).append("\" y=\"").append(top + 10)
                .append("\" text-anchor=\"end\" class=\"value\">").append(Html.escape(Html.count(max))).append("</text>");
        svg.append("<text x=\"").append(left - 6).append("\" y=\"").append(top + plot)
                .append("\" text-anchor=\"end\" class=\"value\">0</text>");
        double slot = (double) (WIDTH - left) / columns.size();
        double bar = Math.max(1, Math.min(48, slot * 0.7));
        int every = labelStep(columns, slot);
        double half = widest(columns) / 2;
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            double x = left + i * slot + (slot - bar) / 2;
            double y = top + plot;
            double total = column.segments().stream().mapToDouble(Item::value).sum();
            svg.append("<g><title>").append(Html.escape(column.label() + ": " + Html.count(total))).append("</title>");
            for (Item segment : column.segments()) {
                if (segment.value() <= 0) {
                    continue;
                }
                double h = segment.value() / max * plot;
                y -= h;
                svg.append("<rect class=\"mark\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                        .append("\" width=\"").append(num(bar)).append("\" height=\"").append(num(h))
                        .append("\" fill=\"").append(segment.colour()).append("\"><title>")
                        .append(Html.escape(column.label() + " " + segment.label() + ": " + segment.text()))
                        .append("</title></rect>");
            }
            svg.append("</g>");
            // A label is written when it is its turn and it is not cut by the right edge.
            if (i % every == 0 && x + bar / 2 + half <= WIDTH) {
                svg.append("<text x=\"").append(num(x + bar / 2)).append("\" y=\"").append(top + plot + 16)
                        .append("\" text-anchor=\"middle\" class=\"label\">").append(Html.escape(column.label()))
                        .append("</text>");
            }
        }
        int i = 0;
        for (Map.Entry<String, String> entry : legend.entrySet()) {
            int x = left + (i % 4) * 125;
            int y = top + plot + 36 + (i / 4) * 20;
            svg.append("<rect x=\"").append(x).append("\" y=\"").append(y - 10).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(entry.getValue()).append("\"/><text x=\"").append(x + 16).append("\" y=\"").append(y)
                    .append("\" class=\"label\">").append(Html.escape(entry.getKey())).append("</text>");
            i++;
        }
        return svg.append("</svg>").toString();
    }

    /**
     * Every how many columns a label is written so that written labels never overlap: the widest
     * label (at {@link #LABEL_CHAR_WIDTH} per character) plus a gap must fit between two of them.
     */
    static int labelStep(List<Column> columns, double slot) {
        double needed = widest(columns) + LABEL_GAP;
        return Math.max(1, (int) Math.ceil(needed / slot));
    }

    private static double widest(List<Column> columns) {
        return columns.stream().mapToInt(c -> c.label().codePointCount(0, c.label().length())).max().orElse(0)
                * LABEL_CHAR_WIDTH;
    }

    /** A donut of {@code items}' shares, with a legend beside it. */
    static String donut(String id, String title, List<Item> items) {
        double total = items.stream().mapToDouble(Item::value).sum();
        if (items.isEmpty() || total <= 0) {
            return empty(id, title);
        }
        int height = Math.max(200, items.size() * 22 + 20);
        StringBuilder svg = open(id, title, height, (int) items.stream().filter(i -> i.value() > 0).count());
        double cx = 100;
        double cy = height / 2.0;
        double r = 80;
        double inner = 48;
        double angle = -Math.PI / 2;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            double sweep = item.value() / total * 2 * Math.PI;
            if (sweep <= 0) {
                continue;
            }
            svg.append("<path class=\"mark\" fill=\"").append(item.colour()).append("\" d=\"");
            if (sweep >= 2 * Math.PI - 1e-9) {
                // One slice is the whole ring: an arc cannot start and end at the same point, so draw two halves.
                svg.append(ring(cx, cy, r, inner));
            } else {
                svg.append(sector(cx, cy, r, inner, angle, angle + sweep));
            }
            svg.append("\"><title>").append(Html.escape(item.label() + ": " + item.text())).append("</title></path>");
            angle += sweep;
            int ly = 20 + i * 22;
            svg.append("<rect x=\"210\" y=\"").append(ly - 11).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(item.colour()).append("\"/><text x=\"228\" y=\"").append(ly).append("\" class=\"label\">")
                    .append(Html.escape(Html.shorten(item.label(), 28))).append(" — ").append(Html.escape(item.text()))
                    .append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static String sector(double cx, double cy, double r, double inner, double from, double to) {
        int large = to - from > Math.PI ? 1 : 0;
        return "M" + num(cx + r * Math.cos(from)) + "," + num(cy + r * Math.sin(from))
                + " A" + num(r) + "," + num(r) + " 0 " + large + " 1 " + num(cx + r * Math.cos(to)) + ","
                + num(cy + r * Math.sin(to))
                + " L" + num(cx + inner * Math.cos(to)) + "," + num(cy + inner * Math.sin(to))
                + " A" + num(inner) + "," + num(inner) + " 0 " + large + " 0 " + num(cx + inner * Math.cos(from)) + ","
                + num(cy + inner * Math.sin(from)) + " Z";
    }

    private static String ring(double cx, double cy, double r, double inner) {
        return "M" + num(cx) + "," + num(cy - r) + " A" + num(r) + "," + num(r) + " 0 1 1 " + num(cx) + "," + num(cy + r)
                + " A" + num(r) + "," + num(r) + " 0 1 1 " + num(cx) + "," + num(cy - r)
                + " M" + num(cx) + "," + num(cy - inner) + " A" + num(inner) + "," + num(inner) + " 0 1 0 " + num(cx)
                + "," + num(cy + inner) + " A" + num(inner) + "," + num(inner) + " 0 1 0 " + num(cx) + ","
                + num(cy - inner) + " Z";
    }

    private static StringBuilder open(String id, String title, int height, int marks) {
        return new StringBuilder("<svg class=\"chart\" data-chart=\"").append(id).append("\" data-marks=\"").append(marks)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
    }

    private static String empty(String id, String title) {
        return open(id, title, 40, 0).append("<text x=\"8\" y=\"24\" class=\"label\">No events in this range</text></svg>")
                .toString();
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
