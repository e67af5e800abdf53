package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.cli.report.HeadlessChromium;
import dev.eventlog.testkit.Samples;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the report of the legacy samples imported into SQLite with {@code eventlog report}, opens
 * it in headless Chromium and checks that every chart was drawn.
 */
class ReportInBrowserTest {
    /** The charts the report has, by their {@code data-chart} id. */
    static final Set<String> CHARTS = Set.of("events-per-kind", "activity-per-day", "tool-success", "tool-durations",
            "model-distribution", "outcome-mix", "self-heal-success", "recovery-success", "commits-per-repo",
            "score-tiers");

    /** The first colours of the report's palette: bars, slices and columns are drawn in them. */
    static final List<String> CHART_COLOURS = List.of("#2563eb", "#f59e0b", "#10b981", "#ef4444");

    private static final Pattern SVG = Pattern.compile("<svg\\b[^>]*\\bclass=\"chart\"[^>]*>");

    @TempDir
    Path dir;

    @Test
    void everyChartOfTheSampleReportIsDrawnInChromium() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        Path page = samplesReport();

        Map<String, int[]> charts = drawnMarks(chromium.dumpDom(page));

        assertThat(charts.keySet()).containsExactlyInAnyOrderElementsOf(CHARTS);
        charts.forEach((chart, marks) -> {
            assertThat(marks[0]).as("marks of %s", chart).isPositive();
            assertThat(marks[1]).as("marks of %s drawn with a size", chart).isEqualTo(marks[0]);
        });
        assertThat(charts.get("events-per-kind")[0]).isEqualTo(6);
        assertThat(charts.get("tool-success")[0]).isEqualTo(7);
        assertThat(charts.get("tool-durations")[0]).isEqualTo(14);
        assertThat(charts.get("model-distribution")[0]).isEqualTo(3);
        assertThat(charts.get("outcome-mix")[0]).isEqualTo(4);
    }

    @Test
    void theSampleReportScreenshotShowsTheChartColours() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        Path page = samplesReport();
        // Kept under target/ so that the picture can be looked at after the build.
        Path png = Files.createDirectories(Path.of("target", "browser")).resolve("report-samples.png").toAbsolutePath();

        chromium.screenshot(page, png, 1280, 3000);
        System.out.println("Report screenshot (the samples imported into SQLite: overview, activity, tools, routing, sessions, infrastructure, git): " + png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        Set<Integer> colours = new HashSet<>();
        Map<String, Integer> chartPixels = new LinkedHashMap<>();
        for (String colour : CHART_COLOURS) {
            chartPixels.put(colour, 0);
        }
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                String hex = String.format("#%06x", rgb);
                chartPixels.computeIfPresent(hex, (k, n) -> n + 1);
            }
        }
        assertThat(colours).as("distinct colours in the screenshot").hasSizeGreaterThan(50);
        chartPixels.forEach((colour, pixels) -> assertThat(pixels).as("pixels of chart colour %s", colour)
                .isGreaterThan(400));
    }

    /** Imports the samples into SQLite and writes their report with the command. */
    private Path samplesReport() throws IOException {
        Path samples = Files.createDirectories(dir.resolve("samples"));
        try (Stream<Path> files = Files.list(Samples.directory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                Files.copy(file, samples.resolve(file.getFileName()));
            }
        }
        String db = "sqlite:" + dir.resolve("events.db");
        assertThat(Cli.run("import", "--to", db, samples.toString()).exitCode()).isEqualTo(1);
        Path page = dir.resolve("report.html");
        Cli.Result written = Cli.run("report", db, "--out", page.toString());
        assertThat(written.exitCode()).as(written.err()).isZero();
        return page;
    }

    /** Per chart id: the marks the report drew and the marks Chromium laid out with a size. */
    static Map<String, int[]> drawnMarks(String dom) {
        Map<String, int[]> charts = new LinkedHashMap<>();
        Matcher svg = SVG.matcher(dom);
        while (svg.find()) {
            String tag = svg.group();
            charts.put(attribute(tag, "data-chart"), new int[] {Integer.parseInt(attribute(tag, "data-marks")),
                Integer.parseInt(attribute(tag, "data-drawn"))});
        }
        return charts;
    }

    private static String attribute(String tag, String name) {
        Matcher value = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(tag);
        assertThat(value.find()).as("%s in %s", name, tag).isTrue();
        return value.group(1);
    }
}
