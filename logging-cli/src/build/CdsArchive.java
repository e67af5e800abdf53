import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the class-data archive (AppCDS) that {@code bin/eventlog} starts its commands with, while
 * the jar is built, so that the first command after a build does not pay for making it. Run by
 * the build (Maven's JVM, source-file mode) after the runnable jar is made:
 * {@code java CdsArchive.java JAR ARCHIVE WORKDIR}.
 *
 * <p>Runs the jar's {@code eventlog log} twice with the options {@code bin/eventlog} gives short
 * commands: once to create a SQLite store in {@code WORKDIR}, then into that existing store with
 * {@code -XX:ArchiveClassesAtExit=ARCHIVE}, so the archive holds the classes of a hook's {@code
 * eventlog log} (the up-to-date check of an existing store included). It then writes {@code
 * ARCHIVE.txt}: the {@code java} that made it, the jar and that java's release (e.g. 17), one a line;
 * {@code bin/eventlog} uses the archive only with that same {@code java} binary and jar path, and
 * otherwise makes its own at the first short command, as it does without this file. A failure leaves
 * no archive and the build goes on: the archive only saves time.
 */
public final class CdsArchive {
    private CdsArchive() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path archive = Path.of(args[1]).toAbsolutePath();
        Path work = Path.of(args[2]).toAbsolutePath();
        Path stamp = archive.resolveSibling(archive.getFileName() + ".txt");
        Files.deleteIfExists(stamp);
        Files.deleteIfExists(archive);
        Files.createDirectories(work);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        if (run(java, jar, work, null) && run(java, jar, work, partial) && Files.size(partial) > 0) {
            Files.move(partial, archive);
            Files.writeString(stamp, java + "\n" + jar + "\n" + Runtime.version().feature() + "\n", StandardCharsets.UTF_8);
        } else {
            Files.deleteIfExists(partial);
            System.err.println("CdsArchive: no class-data archive made; bin/eventlog makes one at its first short command");
        }
    }

    /** Runs {@code eventlog log} from {@code jar} into the store in {@code work}, archiving its classes to {@code archive} when not null. */
    private static boolean run(String java, Path jar, Path work, Path archive) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        if (Runtime.version().feature() == 17) {
            // As bin/eventlog starts short commands on Java 17 (its comment says why).
            command.add("-Djava.locale.providers=COMPAT");
        }
        if (archive != null) {
            command.add("-XX:ArchiveClassesAtExit=" + archive);
        }
        // The class path and main class as bin/eventlog gives them (not -jar).
        command.addAll(List.of("-Deventlog.cacheDir=" + work.resolve("cache"), "-cp", jar.toString(),
                "dev.eventlog.cli.EventlogCommand", "log", "tool_use", "--tool-name", "Bash", "--success", "true",
                "--store", "sqlite:" + work.resolve("events.db")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("log.txt").toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return false;
        }
        if (process.exitValue() != 0) {
            System.err.println("CdsArchive: " + String.join(" ", command) + " exited " + process.exitValue() + ": "
                    + Files.readString(work.resolve("log.txt")).strip());
            return false;
        }
        return true;
    }
}
