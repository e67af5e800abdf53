package dev.eventlog.cli;

import java.util.List;

/**
 * The plain-text tables of the CLI's reports ({@code eventlog stats}, {@code eventlog sessions}): a title
 * line, then the rows under their headers, indented by two spaces, columns as wide as their widest cell.
 * Thread-safe (no state).
 */
final class TextTable {
    private TextTable() {
    }

    /**
     * Appends {@code title}, then {@code rows} under {@code headers} ({@code "  (none)"} when there are no
     * rows), then an empty line. With {@code numbersRight}, the first column is left-aligned and the others
     * right-aligned three spaces apart (columns of numbers); otherwise every column is left-aligned, two
     * spaces apart.
     */
    static void append(StringBuilder out, String title, List<String> headers, List<List<String>> rows,
            boolean numbersRight) {
        out.append(title).append('\n');
        if (rows.isEmpty()) {
            out.append("  (none)\n\n");
            return;
        }
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(out, headers, widths, numbersRight);
        for (List<String> row : rows) {
            line(out, row, widths, numbersRight);
        }
        out.append('\n');
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, boolean numbersRight) {
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            if (i > 0) {
                line.append(numbersRight ? "   " : "  ");
            }
            line.append(numbersRight && i > 0 ? pad + cell : cell + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
