import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Writes the {@code build.properties} that {@code eventlog --version} prints: the version, the
 * git commit of {@code DIR} and whether tracked files differ from it. Run by the build (Maven's
 * JVM, source-file mode): {@code java BuildInfo.java OUT VERSION DIR}. Git is asked in {@code DIR}
 * itself, so a linked worktree reports its own commit. Outside a git checkout, or without git,
 * the commit is {@code unknown} and the build goes on.
 */
public final class BuildInfo {
    private BuildInfo() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path out = Path.of(args[0]);
        String version = args[1];
        Path dir = Path.of(args[2]);
        String commit = git(dir, "rev-parse", "--short=12", "HEAD");
        String changes = commit == null ? null : git(dir, "status", "--porcelain", "--untracked-files=no");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "# Written by the build (src/build/BuildInfo.java); read by 'eventlog --version'.\n"
                + "version=" + version + "\n"
                + "commit=" + (commit == null || commit.isBlank() ? "unknown" : commit.strip()) + "\n"
                + "dirty=" + (changes != null && !changes.isBlank()) + "\n", StandardCharsets.UTF_8);
    }

    /** What {@code git ARGS} prints in {@code dir}, or null when git is missing or fails there. */
    private static String git(Path dir, String... args) throws InterruptedException {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = dir.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] output = git.getInputStream().readAllBytes();
            if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
                git.destroyForcibly();
                return null;
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException noGit) {
            System.err.println("BuildInfo: git cannot be run (" + noGit.getMessage() + "); the commit is unknown");
            return null;
        }
    }
}
