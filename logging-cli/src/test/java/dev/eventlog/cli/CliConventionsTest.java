package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.migrate.MigrationListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.spi.SLF4JServiceProvider;

/** {@code --version}, shell completion, {@code --verbose} and the progress line. */
class CliConventionsTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    /**
     * What {@code command} prints in {@code workDir}, or null when it fails there; git looks for a
     * checkout no further up than {@code workDir} when {@code alone}.
     */
    private static String run(Path workDir, boolean alone, List<String> command) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        if (alone) {
            builder.environment().put("GIT_CEILING_DIRECTORIES", workDir.toAbsolutePath().getParent().toString());
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
        return process.exitValue() == 0 ? out : null;
    }

    @Test
    void versionNamesTheBuildsVersionAndTheCommitItWasBuiltFrom() throws IOException, InterruptedException {
        Cli.Result version = Cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out().strip()).matches("eventlog \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit (\\p{XDigit}{12}"
                + "(, modified)?|unknown)\\)");
        // Built from this checkout: its commit, or "unknown" when the sources are not a git checkout.
        String head = run(Path.of("").toAbsolutePath(), false, List.of("git", "rev-parse", "--short=12", "HEAD"));
        assertThat(version.out()).contains("(commit " + (head == null ? "unknown" : head.strip()));
    }

    @Test
    void aBuildOutsideAGitCheckoutSaysTheCommitIsUnknown() throws IOException, InterruptedException {
        Path sources = Files.createDirectories(dir.resolve("eventlog-0.1.0-src"));
        Path written = dir.resolve("build.properties");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String buildInfo = Path.of("src/build/BuildInfo.java").toAbsolutePath().toString();
        assertThat(run(sources, true, List.of(java, buildInfo, written.toString(), "1.2.3", sources.toString())))
                .as("the build step succeeds outside git").isNotNull();
        assertThat(Version.line(load(written))).isEqualTo("eventlog 1.2.3 (commit unknown)");

        Properties unfilled = new Properties();
        unfilled.setProperty("version", "${project.version}");
        assertThat(Version.line(unfilled)).isEqualTo("eventlog unknown (commit unknown)");
        Properties modified = new Properties();
        modified.setProperty("version", "0.2.0");
        modified.setProperty("commit", "0123456789ab");
        modified.setProperty("dirty", "true");
        assertThat(Version.line(modified)).isEqualTo("eventlog 0.2.0 (commit 0123456789ab, modified)");
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    @Test
    void completionPrintsAScriptThatCompletesCommandsAndOptionsInBash() throws IOException, InterruptedException {
        Cli.Result bash = Cli.run("completion", "bash");
        assertThat(bash.exitCode()).isZero();
        for (String command : List.of("import", "copy", "verify", "reconcile", "schema", "log", "stats", "sessions",
                "session", "report", "serve", "sink", "hook", "completion")) {
            assertThat(bash.out()).as("the script completes '%s'", command).contains("_picocli_eventlog_" + command + "()");
        }
        Cli.Result zsh = Cli.run("completion", "zsh");
        assertThat(zsh.exitCode()).isZero();
        assertThat(zsh.out()).contains("ZSH_VERSION", "bashcompinit", "_picocli_eventlog_import()");
        Cli.Result fish = Cli.run("completion", "fish");
        assertThat(fish.exitCode()).isEqualTo(2);
        assertThat(fish.reason()).contains("fish", "bash, zsh");

        Path script = Files.writeString(dir.resolve("eventlog-completion.bash"), bash.out());
        String completions = run(dir, false, List.of("bash", "-c", "source '" + script + "'; "
                + "COMP_WORDS=(eventlog im); COMP_CWORD=1; _complete_eventlog; echo \"${COMPREPLY[*]}\"; "
                + "COMP_WORDS=(eventlog import --t); COMP_CWORD=2; _complete_eventlog; echo \"${COMPREPLY[*]}\""));
        assertThat(completions).as("bash completes with the script").isNotNull();
        List<String> lines = completions.lines().filter(l -> !l.contains("compopt")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("import");
        assertThat(lines.get(1).split(" ")).as("import's options starting --t").contains("--to", "--table");
    }

    @Test
    void verboseShowsTheLibrariesDiagnosticsAndWithoutItTheyAreQuiet() throws IOException, InterruptedException {
        String store = "sqlite:" + dir.resolve("events.db");
        assertThat(Cli.run("log", "tool_use", "--tool-name", "Bash", "--store", store).exitCode()).isZero();

        assertThat(Cli.run("schema", "rollback", "--count", "1", store).exitCode()).isZero();
        Cli.Result quiet = CliProcess.run(dir, List.of(), "schema", "update", store);
        assertThat(quiet.exitCode()).isZero();
        assertThat(quiet.out()).contains("applied 1 change set(s)");
        assertThat(quiet.err()).as("stderr without --verbose").isEmpty();

        assertThat(Cli.run("schema", "rollback", "--count", "1", store).exitCode()).isZero();
        Cli.Result verbose = CliProcess.run(dir, List.of(), "schema", "update", "--verbose", store);
        assertThat(verbose.exitCode()).isZero();
        assertThat(verbose.out()).contains("applied 1 change set(s)");
        assertThat(verbose.err()).as("Liquibase's diagnostics, through java.util.logging")
                .contains("[INFO] liquibase.", "Running Changeset");

        Cli.Result global = CliProcess.run(dir, List.of(), "--verbose", "schema", "status", store);
        assertThat(global.exitCode()).as("--verbose before the command: %s", global.err()).isZero();
    }

    @Test
    void theCommandBindsExactlyOneSlf4jProvider() {
        List<String> providers = ServiceLoader.load(SLF4JServiceProvider.class).stream()
                .map(p -> p.type().getName()).toList();
        assertThat(providers).containsExactly("org.slf4j.simple.SimpleServiceProvider");
    }

    @Test
    void theProgressLineShowsTheRateAndTheTimeLeft() {
        assertThat(ProgressBar.line("copying", 2_500, 10_000, 5 * SECOND))
                .contains("copying", " 25%", "2,500/10,000", "500 events/s", "ETA 0:15");
        assertThat(ProgressBar.line("importing", 50_000_000, 200_000_000, 10 * SECOND))
                .contains("importing", " 25%", "50.0 MB/200.0 MB", "5.0 MB/s", "ETA 0:30");
        assertThat(ProgressBar.line("copying", 1_000, 7_201_000, SECOND)).contains("1,000 events/s", "ETA 2:00:00");
        assertThat(ProgressBar.line("verifying", 1_234, -1, 2 * SECOND)).contains("1,234", "617 events/s")
                .doesNotContain("ETA", "%");
        assertThat(ProgressBar.line("copying", 0, 10_000, 0)).contains("  0%").doesNotContain("/s", "ETA");
    }

    @Test
    void forcedProgressOutsideATerminalPrintsALineASecond() {
        StringWriter err = new StringWriter();
        AtomicLong now = new AtomicLong();
        MigrationListener bar = new ProgressBar(new PrintWriter(err), now::get, false);
        bar.phase("copying", 3_000);
        for (int second = 1; second <= 3; second++) {
            for (int step = 1; step <= 10; step++) {
                now.addAndGet(SECOND / 10);
                bar.progress((second - 1) * 1_000L + step * 100L);
            }
        }
        ProgressBar.finish(bar);
        assertThat(err.toString().lines().toList()).containsExactly(
                ProgressBar.line("copying", 0, 3_000, 0),
                ProgressBar.line("copying", 1_000, 3_000, SECOND),
                ProgressBar.line("copying", 2_000, 3_000, 2 * SECOND),
                ProgressBar.line("copying", 3_000, 3_000, 3 * SECOND));
        assertThat(err.toString()).doesNotContain("\r", "\u001b");
    }

    @Test
    void anImportWithProgressReportsItsRateAndWithoutItStaysQuiet() throws IOException {
        Path input = dir.resolve("tool-usage.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            lines.append("{\"ts\":\"2024-03-01T10:00:00Z\",\"tool_name\":\"Bash\",\"success\":true,\"duration_ms\":")
                    .append(i).append("}\n");
        }
        Files.writeString(input, lines);
        Cli.Result quiet = Cli.run("import", "--to", "sqlite:" + dir.resolve("quiet.db"), input.toString());
        assertThat(quiet.exitCode()).isZero();
        assertThat(quiet.err()).doesNotContain("importing");

        Cli.Result shown = Cli.run("import", "--progress", "--to", "sqlite:" + dir.resolve("shown.db"), input.toString());
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.err()).contains("importing", "100%", "ETA 0:00", "checking");
        assertThat(shown.err()).as("a rate in bytes per second, whatever the machine's speed")
                .containsPattern("[0-9.,]+ (B|kB|MB|GB)/s");
        assertThat(shown.out()).contains("2,000").doesNotContain("importing");
    }
}
