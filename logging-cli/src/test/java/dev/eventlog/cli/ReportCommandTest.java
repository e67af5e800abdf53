package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.testkit.Samples;
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
                "96.15 %", "metaventions");
        assertThat(Pattern.compile("<svg class=\"chart\"").matcher(html).results().count()).isEqualTo(8);
        // Nothing to fetch: no external script, style, image or font.
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("@import")
                .doesNotContain("url(");
        assertThat(dir.resolve("report.html.tmp")).doesNotExist();
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

    Path copyOfSharedSamples() throws IOException {
        return Samples.copyTo(dir.resolve("samples"));
    }
}
