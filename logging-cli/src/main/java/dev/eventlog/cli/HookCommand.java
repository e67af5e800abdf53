package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog hook install git}: puts the git post-commit hook into a repository. */
@Command(name = "hook", mixinStandardHelpOptions = true,
        description = "Installs a ready-made hook that sends events with eventlog-send.",
        subcommands = HookCommand.Install.class)
final class HookCommand implements Callable<Integer> {
    /** The line that marks a post-commit hook as eventlog's own, which install may replace. */
    static final String MARKER = "eventlog git post-commit hook";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EventlogCommand.OK;
    }

    /** {@code eventlog hook install git [--repo DIR] [--force]}. */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Installs the git post-commit hook into the repository's hooks directory (the one git "
                + "uses: .git/hooks, a worktree's or core.hooksPath). Every commit is then sent as a git event by "
                + "eventlog-send (on the PATH, or EVENTLOG_SEND), to the service or, while it is down, to the inbox.",
                "A post-commit hook that is not eventlog's is never replaced unless --force; it is then kept as "
                    + "post-commit.before-eventlog."},
            footer = {"", "Exit codes: 0 installed or already installed, 2 not a git repository, a hook that is "
                + "not eventlog's is in the way, or the hook could not be written."})
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TARGET", description = "What to hook into: git.")
        String target;

        @Option(names = "--repo", paramLabel = "DIR", description = "The git repository (default: the current "
                + "directory).")
        Path repo = Path.of("");

        @Option(names = "--force", description = "Replace a post-commit hook that is not eventlog's (kept as "
                + "post-commit.before-eventlog).")
        boolean force;

        @Override
        public Integer call() throws IOException {
            if (!"git".equals(target)) {
                throw new ConfigurationException("TARGET was '" + target + "' but it must be git (the assistant "
                        + "hooks are installed with the commands in the README, section 'Ready-made hooks')");
            }
            byte[] hook = bundledHook();
            Path hooks = hooksDirectory(repo.toAbsolutePath().normalize());
            Path file = hooks.resolve("post-commit");
            if (Files.exists(file)) {
                byte[] present = Files.readAllBytes(file);
                if (Arrays.equals(present, hook) && Files.isExecutable(file)) {
                    spec.commandLine().getOut().println("eventlog hook: " + file + " is installed already");
                    return EventlogCommand.OK;
                }
                boolean ours = new String(present, StandardCharsets.UTF_8).contains(MARKER);
                if (!ours && !force) {
                    throw new ConfigurationException("--repo was '" + repo + "' but " + file + " is a hook that is "
                            + "not eventlog's; nothing was changed: run again with --force to replace it (it is "
                            + "then kept as post-commit.before-eventlog)");
                }
                if (!ours) {
                    Files.copy(file, hooks.resolve("post-commit.before-eventlog"), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.createDirectories(hooks);
            // Written beside, then renamed: git never starts a half-written hook.
            Path temporary = Files.createTempFile(hooks, ".post-commit-", ".tmp");
            try {
                Files.write(temporary, hook);
                if (!temporary.toFile().setExecutable(true, false)) {
                    throw new ConfigurationException("--repo was '" + repo + "' but " + temporary
                            + " cannot be made executable");
                }
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            spec.commandLine().getOut().println("eventlog hook: installed " + file + "; every commit is sent by "
                    + "eventlog-send (on the PATH or EVENTLOG_SEND) to the service or its inbox");
            return EventlogCommand.OK;
        }

        private static byte[] bundledHook() {
            try (InputStream in = HookCommand.class.getResourceAsStream("hooks/post-commit")) {
                if (in == null) {
                    throw new IllegalStateException("the hook hooks/post-commit is missing from this build");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The hooks directory git uses for {@code dir}, asked of git itself. */
        private Path hooksDirectory(Path dir) {
            if (!Files.isDirectory(dir)) {
                throw new ConfigurationException("--repo was '" + repo + "' but it must be an existing directory");
            }
            String answer;
            int code;
            try {
                Process git = new ProcessBuilder(List.of("git", "rev-parse", "--git-path", "hooks"))
                        .directory(dir.toFile()).redirectErrorStream(true).start();
                git.getOutputStream().close();
                answer = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!git.waitFor(30, TimeUnit.SECONDS)) {
                    git.destroyForcibly();
                    throw new ConfigurationException("--repo was '" + repo + "' but git did not answer in 30 s");
                }
                code = git.exitValue();
            } catch (IOException e) {
                throw new ConfigurationException("--repo was '" + repo + "' but git could not be started: "
                        + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConfigurationException("--repo was '" + repo + "' but the wait for git was interrupted");
            }
            if (code != 0) {
                throw new ConfigurationException("--repo was '" + repo + "' but it must be a git repository ("
                        + EventlogCommand.oneLine(answer) + ")");
            }
            return dir.resolve(answer).normalize();
        }
    }
}
