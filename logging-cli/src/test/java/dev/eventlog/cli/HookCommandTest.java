package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventlog hook install git} in real repositories made by the real git. */
class HookCommandTest {
    @TempDir
    Path dir;

    @Test
    void installsTheHookExecutableAndSaysSoAndASecondRunChangesNothing() throws Exception {
        Path repo = gitInit("app");
        Path hook = repo.resolve(".git/hooks/post-commit");

        Cli.Result first = Cli.run("hook", "install", "git", "--repo", repo.toString());
        Cli.Result second = Cli.run("hook", "install", "git", "--repo", repo.toString());

        System.out.printf("install: exit %d, %s; again: exit %d, %s%n", first.exitCode(), first.out().strip(),
                second.exitCode(), second.out().strip());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("installed " + hook);
        assertThat(Files.isExecutable(hook)).isTrue();
        assertThat(Files.readString(hook)).contains(HookCommand.MARKER).contains("eventlog-send");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("installed already");
        try (var files = Files.list(hook.getParent())) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count())
                    .as("temporary files left in the hooks directory").isZero();
        }
    }

    @Test
    void refusesAForeignHookWithOneLineAndForceReplacesItKeepingTheOldOne() throws Exception {
        Path repo = gitInit("other");
        Path hook = repo.resolve(".git/hooks/post-commit");
        String foreign = "#!/bin/sh\necho my own hook\n";
        Files.writeString(hook, foreign);

        Cli.Result refused = Cli.run("hook", "install", "git", "--repo", repo.toString());
        String afterRefusal = Files.readString(hook);
        Cli.Result forced = Cli.run("hook", "install", "git", "--repo", repo.toString(), "--force");

        System.out.printf("refused: exit %d, %s; forced: exit %d%n", refused.exitCode(), refused.reason(),
                forced.exitCode());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.reason()).contains(hook.toString()).contains("not eventlog's").contains("--force");
        assertThat(afterRefusal).isEqualTo(foreign);
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readString(hook)).contains(HookCommand.MARKER);
        assertThat(Files.readString(hook.resolveSibling("post-commit.before-eventlog"))).isEqualTo(foreign);
    }

    @Test
    void aDirectoryThatIsNotARepositoryAndAnUnknownTargetExitTwoWithOneLineAndWriteNothing() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));

        Cli.Result notRepo = Cli.run("hook", "install", "git", "--repo", plain.toString());
        Cli.Result unknown = Cli.run("hook", "install", "svn", "--repo", plain.toString());

        System.out.printf("not a repository: %s; unknown target: %s%n", notRepo.reason(), unknown.reason());
        assertThat(notRepo.exitCode()).isEqualTo(2);
        assertThat(notRepo.reason()).contains("must be a git repository");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.reason()).contains("TARGET was 'svn'");
        try (var files = Files.list(plain)) {
            assertThat(files.count()).isZero();
        }
    }

    private Path gitInit(String name) throws IOException, InterruptedException {
        Path repo = Files.createDirectories(dir.resolve(name));
        List<String> command = new ArrayList<>(List.of("git", "init", "-q", repo.toString()));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(output).isZero();
        return repo;
    }
}
