package dev.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application without an SLF4J provider still hears of store failures: the default error
 * handler writes one line per failure (rate-limited) to standard error, without a stack trace.
 */
class DefaultErrorHandlerWithoutSlf4jProviderTest {
    @TempDir
    Path dir;

    @Test
    void aStoreFailureReachesStandardErrorWhenNoSlf4jProviderIsBound() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("slf4j-simple") && !entry.contains("logback")
                        && !entry.contains("log4j-slf4j") && !entry.contains("slf4j-reload4j")
                        && !entry.contains("slf4j-jdk14"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", classPath, NoSlf4jProviderChild.class.getName(), dir.resolve("store").toString()));
        Path stderr = dir.resolve("stderr.txt");
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();

        List<String> lines = Files.readAllLines(stderr);
        List<String> warnings = lines.stream().filter(l -> l.startsWith("eventlog: WARN")).toList();
        System.out.println("child stdout: " + stdout.trim() + "; stderr lines: " + lines.size() + "; warnings: "
                + warnings.size());
        lines.forEach(l -> System.out.println("  stderr| " + l));
        assertThat(child.exitValue()).isZero();
        assertThat(stdout).contains("failed batches 3");
        // SLF4J says it found no provider: the child really ran without one.
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("No SLF4J providers were found"));
        // Three failures within ten seconds: one line, the others counted in the next.
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("could not store 1 event(s)").contains("connection refused");
        assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("\tat "));
    }
}
