package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.sqlite.SqliteEventStore;
import dev.eventlog.testkit.Samples;
import dev.eventlog.testkit.SessionFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(Pattern.compile("<svg class=\"chart\"").matcher(html).results().count()).isEqualTo(9); // 8 + the score tiers
        // Nothing to fetch: no external script, style, image or font.
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("@import")
                .doesNotContain("url(");
        assertThat(dir.resolve("report.html.tmp")).doesNotExist();
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
