package dev.eventlog.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The date labels under the activity columns are thinned so that the written ones never overlap. */
class ColumnLabelsTest {
    /** A date label at 12px in the widest common UI font (DejaVu Sans digits are 0.636 em): 10 × 7.63 px. */
    private static final double DATE_LABEL_WIDTH = 10 * 0.636 * 12;

    private static final Pattern LABEL = Pattern.compile(
            "<text x=\"([0-9.]+)\" y=\"[0-9.]+\" text-anchor=\"middle\" class=\"label\">([0-9-]+)</text>");

    @Test
    void writtenDateLabelsAreFarEnoughApartToNotOverlapAndStayInsideTheChart() {
        for (int days : new int[] {1, 3, 6, 7, 14, 31, 60, 90, 365, 1000}) {
            String svg = SvgCharts.columns("activity-per-day", "Events per day", days(days), Map.of("tool_use", "#2563eb"));
            List<Double> xs = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            LABEL.matcher(svg).results().forEach(m -> {
                xs.add(Double.parseDouble(m.group(1)));
                labels.add(m.group(2));
            });
            System.out.printf("%4d days: %d labels %s%n", days, labels.size(), labels);
            assertThat(labels).as("labels of %d days", days).isNotEmpty().startsWith("2026-01-01");
            for (int i = 1; i < xs.size(); i++) {
                assertThat(xs.get(i) - xs.get(i - 1)).as("room between labels %s and %s", labels.get(i - 1), labels.get(i))
                        .isGreaterThan(DATE_LABEL_WIDTH);
            }
            for (double x : xs) {
                assertThat(x + DATE_LABEL_WIDTH / 2).as("right end of a label").isLessThanOrEqualTo(560);
                assertThat(x - DATE_LABEL_WIDTH / 2).as("left end of a label").isGreaterThanOrEqualTo(0);
            }
            // Not thinned to nothing: 512 px of columns take six date labels, at least half of them are written.
            assertThat(labels.size()).as("labels of %d days", days).isGreaterThanOrEqualTo(Math.min(days, 3));
        }
    }

    private static List<SvgCharts.Column> days(int n) {
        List<SvgCharts.Column> columns = new ArrayList<>();
        LocalDate day = LocalDate.parse("2026-01-01");
        for (int i = 0; i < n; i++) {
            columns.add(new SvgCharts.Column(day.plusDays(i).toString(),
                    List.of(new SvgCharts.Item("tool_use", 1 + i % 7, String.valueOf(1 + i % 7), "#2563eb"))));
        }
        return columns;
    }
}
