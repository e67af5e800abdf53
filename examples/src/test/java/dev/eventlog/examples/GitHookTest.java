package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code examples/hooks/post-commit} in a real git repository: a real commit starts the
 * hook, which starts the real {@code bin/eventlog-send}; with no service listening the event goes
 * to the inbox, which the real {@code bin/eventlog import} (the runnable jar the build made) reads.
 */
class GitHookTest {
    @TempDir
    Path dir;

    @Test
    void aCommitInARepositoryWithTheHookIsRecordedAsAGitEvent() throws Exception {
        Path root = repositoryRoot();
        Path repo = Files.createDirectories(dir.resolve("demo-app"));
        git(repo, "init", "-q", "-b", "main");
        git(repo, "config", "user.name", "Dev One");
        git(repo, "config", "user.email", "dev1@example.com");
        run(repo, Map.of(), root.resolve("bin/eventlog").toString(), "hook", "install", "git", "--repo",
                repo.toString());
        Files.writeString(repo.resolve("a.txt"), "one\ntwo\nthree\n");
        Files.writeString(repo.resolve("b.txt"), "hello\n");
        git(repo, "add", "a.txt", "b.txt");
        Path db = dir.resolve("events.db");
        Path inbox = dir.resolve("inbox");

        String output = run(repo, client(root, inbox), "git", "commit", "-q", "-m", "feat: it's \"quoted\"");
        run(repo, Map.of(), root.resolve("bin/eventlog").toString(), "import", "--to", "sqlite:" + db, "--kind",
                "git", "--no-progress", "--state-dir", dir.resolve("state").toString(), inbox.toString());

        String hash = git(repo, "rev-parse", "HEAD").strip();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT event_type, repo, branch, commit_hash, message, "
                        + "files_changed, additions, deletions, author FROM git_events")) {
            assertThat(rows.next()).as("a git event in %s; hook output: %s", db, output).isTrue();
            assertThat(rows.getString("event_type")).isEqualTo("commit");
            assertThat(rows.getString("repo")).isEqualTo("demo-app");
            assertThat(rows.getString("branch")).isEqualTo("main");
            assertThat(rows.getString("commit_hash")).isEqualTo(hash);
            assertThat(rows.getString("message")).isEqualTo("feat: it's \"quoted\"");
            assertThat(rows.getLong("files_changed")).isEqualTo(2);
            assertThat(rows.getLong("additions")).isEqualTo(4);
            assertThat(rows.getLong("deletions")).isZero();
            assertThat(rows.getString("author")).isEqualTo("Dev One");
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void aCommitWhileTheServiceIsDownStillSucceedsAndKeepsTheEventInTheInbox() throws Exception {
        Path root = repositoryRoot();
        Path repo = Files.createDirectories(dir.resolve("app"));
        git(repo, "init", "-q", "-b", "main");
        git(repo, "config", "user.name", "Dev Two");
        git(repo, "config", "user.email", "dev2@example.com");
        Path hook = repo.resolve(".git/hooks/post-commit");
        Files.copy(root.resolve("examples/hooks/post-commit"), hook, StandardCopyOption.REPLACE_EXISTING);
        hook.toFile().setExecutable(true);
        Files.writeString(repo.resolve("a.txt"), "x\n");
        git(repo, "add", "a.txt");
        Path inbox = dir.resolve("inbox");

        String output = run(repo, client(root, inbox), "git", "commit", "-q", "-m", "while down");

        List<Path> files;
        try (var listing = Files.list(inbox)) {
            files = listing.toList();
        }
        System.out.printf("commit while the service is down: inbox files %d; hook said: %s%n", files.size(),
                output.strip());
        assertThat(git(repo, "log", "--oneline")).contains("while down");
        assertThat(output).contains("was not reached").contains("the event is kept in " + inbox);
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).endsWith(".jsonl");
        assertThat(Files.readString(files.get(0))).contains(git(repo, "rev-parse", "HEAD").strip())
                .contains("\"message\":\"while down\"");
    }

    /** The environment of a hook that sends with bin/eventlog-send to a port nothing listens on. */
    private static Map<String, String> client(Path root, Path inbox) throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return Map.of("EVENTLOG_SEND", root.resolve("bin/eventlog-send").toString(), "EVENTLOG_URL",
                "http://127.0.0.1:" + port, "EVENTLOG_INBOX", inbox.toString());
    }

    /** The repository root: the directory above this module holding bin/eventlog. */
    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bin/eventlog")) && Files.isDirectory(d.resolve("examples"))) {
                assertThat(d.resolve("logging-cli/target/eventlog.jar"))
                        .as("the runnable jar, built by 'mvn package' before this module's tests").exists();
                return d;
            }
        }
        throw new IllegalStateException("no bin/eventlog above " + Path.of("").toAbsolutePath());
    }

    private static String git(Path repo, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        return run(repo, Map.of(), command);
    }

    private static String run(Path workDir, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("HOME", workDir.toString());
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s failed: %s", String.join(" ", command), output).isZero();
        return output;
    }
}
