package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.sqlite.SqliteEventStore;
import dev.eventlog.testkit.Samples;
import dev.eventlog.testkit.SessionFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesOneSelfContainedPageWithEverySectionAndChart() throws IOException {
        String db = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", db, copyOfSharedSamples().toString());
        Path out = dir.resolve("report.html");

        Cli.Result result = Cli.run("report", db, "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("wrote " + out.toAbsolutePath() + " (155 events)");
        String html = Files.readString(out);
        assertThat(html).contains("id=\"overview\"", "id=\"activity\"", "id=\"tools\"", "id=\"routing\"",
                "id=\"sessions\"", "id=\"infrastructure\"", "Activity per day", "Tool analytics", "Session outcomes",
                "96.2 %", "metaventions");
        assertThat(Pattern.compile("<svg class=\"chart\"").matcher(html).results().count()).isEqualTo(10); // 9 + the score tiers
        // Nothing to fetch: no external script, style, image or font.
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("@import")
                .doesNotContain("url(");
        assertThat(dir.resolve("report.html.tmp")).doesNotExist();
    }

    @Test
    void theRoutingSectionShowsThePredictedVsActualMatrixOfTheSamplesWithTheDiagonalHighlighted() throws IOException {
        String db = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", db, copyOfSharedSamples().toString());
        Path out = dir.resolve("report.html");

        Cli.Result result = Cli.run("report", db, "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        String html = Files.readString(out);
        String matrix = html.substring(html.indexOf("<table class=\"matrix\" data-table=\"routing-matrix\">"));
        matrix = matrix.substring(0, matrix.indexOf("</table>"));
        System.out.println(matrix.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " "));
        // Columns are the actual models in order; one sonnet prediction was served by haiku.
        assertThat(matrix).contains("<th class=\"num\">haiku</th><th class=\"num\">opus</th><th class=\"num\">sonnet</th>",
                "<tr><td>haiku</td><td class=\"num diag\">7</td><td class=\"num\">0</td><td class=\"num\">0</td></tr>",
                "<tr><td>opus</td><td class=\"num\">0</td><td class=\"num diag\">11</td><td class=\"num\">0</td></tr>",
                "<tr><td>sonnet</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num diag\">7</td></tr>");
        assertThat(html.indexOf("data-table=\"routing-matrix\"")).isBetween(html.indexOf("<section id=\"routing\">"),
                html.indexOf("<section id=\"sessions\">"));
    }

    @Test
    void theSessionQualitySectionShowsTiersWorkflowsAndTheLowestScoringSessionsWithTheirFailingTools() throws IOException {
        Path file = dir.resolve("fixtures.db");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            store.append(SessionFixtures.events());
        }
        Path out = dir.resolve("report.html");

        Cli.Result result = Cli.run("report", "sqlite:" + file, "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        String html = Files.readString(out);
        String section = html.substring(html.indexOf("<section id=\"session-quality\">"));
        section = section.substring(0, section.indexOf("</section>"));
        System.out.println(section.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " "));
        assertThat(section).contains("<td>high (≥ 80)</td><td class=\"num\">3</td>",
                "<td>medium (≥ 50)</td><td class=\"num\">2</td>", "<td>low (&lt; 50)</td><td class=\"num\">1</td>",
                "<td>Read&gt;Edit&gt;Bash</td><td class=\"num\">2</td><td class=\"num\">79.6</td>",
                "data-chart=\"score-tiers\"");
        // Lowest first: s-low (0.0, error, Bash failed), s-mid (59.2, partial, Bash), s-ties (72.5, partial, Edit).
        assertThat(section).containsSubsequence("<td>s-low</td>", "0.0", "error", "Bash", "<td>s-mid</td>", "59.2",
                "partial", "Bash", "<td>s-ties</td>", "72.5", "partial", "Edit", "<td>s-long</td>");
        assertThat(section).doesNotContain("<td>s-nulls</td>", "<td>s-none</td>");
    }

    @Test
    void moneyAndRatesAreWrittenForPeople() throws IOException {
        String html = samplesReport();

        // Total cost 33.1715 USD, mean quality 0.4636, self-heal 42.3077 %, Write tool 83.3333 %.
        assertThat(html).contains("<b>$33.17</b><span>total cost</span>", "<b>46.4 %</b><span>mean quality</span>",
                "<b>42.3 %</b><span>self-heal success", "<td>Write</td><td class=\"num\">6</td><td class=\"num\">83.3 %</td>");
        assertThat(html.replaceAll("<[^>]+>", " ")).doesNotContainPattern("\\d\\.\\d{3,}")
                .doesNotContainPattern("\\d\\.\\d\\d %");
    }

    @Test
    void theToolDurationChartShowsTheMedianAndThe95thPercentileOfEachTool() throws IOException {
        String html = samplesReport();

        String chart = html.substring(html.indexOf("<svg class=\"chart\" data-chart=\"tool-durations\""));
        chart = chart.substring(0, chart.indexOf("</svg>"));
        // Bash: durations 1 391 ms (median) and 11 105 ms (95th percentile); Read has the largest p95, 19 191 ms.
        assertThat(chart).contains("data-marks=\"14\"", ">median (p50)<", ">95th percentile (p95)<",
                "<title>Bash: p50 1.4 s, p95 11.1 s</title>", ">1.4 s · 11.1 s<", "<title>Read: p50 11.3 s, p95 19.2 s</title>");
        List<Double> widths = Pattern.compile("<rect class=\"mark\" [^>]*width=\"([0-9.]+)\"").matcher(chart).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
        assertThat(widths).hasSize(14);
        for (int tool = 0; tool < 7; tool++) {
            assertThat(widths.get(2 * tool)).as("p95 bar at least as long as the p50 bar").isGreaterThanOrEqualTo(widths.get(2 * tool + 1));
        }
        // Bash's p50 bar against Read's p95 bar (the longest): 1 391 / 19 191 of it.
        assertThat(widths.get(1) / widths.get(6)).isCloseTo(1391.0 / 19191, org.assertj.core.data.Offset.offset(0.001));
        assertThat(html).contains("<td>Bash</td><td class=\"num\">4</td><td class=\"num\">100.0 %</td><td class=\"num\">1.4 s</td><td class=\"num\">11.1 s</td>");
    }

    @Test
    void theColoursFollowTheSystemsLightOrDarkSchemeThroughOneSetOfVariables() throws IOException {
        String html = samplesReport();
        String style = html.substring(html.indexOf("<style>"), html.indexOf("</style>"));

        assertThat(style).contains("color-scheme:light dark", "@media (prefers-color-scheme: dark)");
        String dark = style.substring(style.indexOf("@media (prefers-color-scheme: dark)"));
        // Every colour the page and its charts' text use is a variable, and the dark scheme sets each one.
        List<String> variables = Pattern.compile("var\\((--[a-z-]+)\\)").matcher(style).results().map(m -> m.group(1))
                .distinct().toList();
        assertThat(variables).contains("--text", "--page", "--panel", "--track");
        for (String variable : variables) {
            assertThat(dark).as("dark value of %s", variable).contains(variable + ":");
        }
        String rules = style.replaceAll("--[a-z-]+:#[0-9a-f]+;?", "");
        assertThat(rules).as("colours outside the variables").doesNotContainPattern("#[0-9a-fA-F]{3,6}\\b");
    }

    @Test
    void thePageUsesTheWholeWidthOfTheWindow() throws IOException {
        String html = samplesReport();
        String style = html.substring(html.indexOf("<style>"), html.indexOf("</style>"));

        // No container of a fixed width: nothing is capped in pixels, ems or rems (charts shrink to 100 % of narrow windows).
        assertThat(style).contains("main{padding:8px 32px 32px}")
                .doesNotContainPattern("max-width:\\s*[0-9.]+\\s*(px|em|rem|ch|vw)").doesNotContainPattern("(?<![-\\w])width:\\s*[0-9.]+px");
    }

    @Test
    void anUnwritableOutputIsAOneLineReason() throws IOException {
        String db = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", db, copyOfSharedSamples().toString());

        Cli.Result result = Cli.run("report", db, "--out", dir.resolve("no/such/dir/report.html").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("report.html");
    }

    @Test
    void theOutputIsRequired() {
        Cli.Result result = Cli.run("report", "jsonl:" + dir);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("--out");
    }

    /** The HTML of the report of the samples imported into SQLite. */
    String samplesReport() throws IOException {
        String db = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", db, copyOfSharedSamples().toString());
        Path out = dir.resolve("report.html");
        Cli.Result result = Cli.run("report", db, "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        return Files.readString(out);
    }

    Path copyOfSharedSamples() throws IOException {
        return Samples.copyTo(dir.resolve("samples"));
    }
}
