package dev.eventlog.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's {@code chromium} headless on a local file, for the report's browser tests: a
 * screenshot and the DOM after the page's scripts ran. Chromium is looked for in
 * {@code $EVENTLOG_CHROMIUM}, {@code /usr/bin/chromium}, {@code /usr/bin/chromium-browser}, then
 * the {@code PATH}. When it is missing, a test fails when {@code CI} or
 * {@code EVENTLOG_REQUIRE_BROWSER} is set ({@code .ci/run} sets the latter and installs Chromium)
 * and is skipped with the reason printed elsewhere.
 */
public final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 120;

    private final Path executable;
    private final Path workDir;

    private HeadlessChromium(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    /** Chromium, using {@code workDir} for its profile and logs; fails or skips the test when missing. */
    public static HeadlessChromium require(Path workDir) {
        Optional<Path> found = find();
        if (found.isEmpty()) {
            String reason = "chromium not found (set EVENTLOG_CHROMIUM or apt-get install -y chromium)";
            if (System.getenv("CI") != null || System.getenv("EVENTLOG_REQUIRE_BROWSER") != null) {
                fail(reason + "; CI or EVENTLOG_REQUIRE_BROWSER is set, so the browser test must run");
            }
            System.out.println("SKIPPED browser test: " + reason);
            Assumptions.abort(reason);
        }
        return new HeadlessChromium(found.get(), workDir);
    }

    private static Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("EVENTLOG_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        candidates.add(Path.of("/usr/bin/chromium-browser"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "chromium"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Saves a {@code width} x {@code height} screenshot of {@code page} as {@code png}. */
    public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run("screenshot", "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", page.toUri().toString());
        assertThat(png).as("chromium wrote the screenshot").isNotEmptyFile();
    }

    /** The DOM of {@code page} after its scripts ran. */
    public String dumpDom(Path page) throws IOException, InterruptedException {
        return run("dump-dom", "--dump-dom", page.toUri().toString());
    }

    private String run(String name, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(workDir.resolve("profile-" + name))));
        command.addAll(List.of(arguments));
        Path out = workDir.resolve(name + ".out");
        Path err = workDir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("chromium " + name + " did not finish in " + TIMEOUT_SECONDS + " s; stderr: " + Files.readString(err));
        }
        if (process.exitValue() != 0) {
            fail("chromium " + name + " exited with " + process.exitValue() + "; stderr: " + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
