package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/eventlog}'s start-up cache as hooks meet it: several {@code eventlog log} processes
 * started at once with an empty cache directory all store their event, print nothing but their
 * line, and leave one whole class-data archive and one unpacked SQLite library; a later command
 * loads its own classes from that archive. And the archive the build made next to the jar: used
 * by the first command, none made in the cache.
 */
class EventlogStartupTest {
    @TempDir
    Path dir;

    @Test
    void hooksStartedTogetherWithAnEmptyCacheAllStoreTheirEventAndLeaveOneWholeArchiveThatLaterRunsMap()
            throws Exception {
        // A checkout of its own holding only the launcher and the jar: no archive made by the build.
        Path checkout = dir.resolve("checkout");
        Files.createDirectories(checkout.resolve("bin"));
        Files.createDirectories(checkout.resolve("logging-cli/target"));
        Files.copy(EventlogSendTest.root().resolve("bin/eventlog"), checkout.resolve("bin/eventlog"));
        Files.createSymbolicLink(checkout.resolve("logging-cli/target/eventlog.jar"),
                EventlogSendTest.root().resolve("logging-cli/target/eventlog.jar"));
        Path launcher = checkout.resolve("bin/eventlog");
        Path cache = dir.resolve("cache");
        Path db = dir.resolve("events.db");
        int hooks = 6;
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < hooks; i++) {
            processes.add(eventlog(launcher, cache, "", dir.resolve("out-" + i), "log", "tool_use", "--tool-name", "Bash",
                    "--duration-ms", Integer.toString(i), "--store", "sqlite:" + db, "--print"));
        }
        List<Integer> exits = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < hooks; i++) {
            assertThat(processes.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
            exits.add(processes.get(i).exitValue());
            outputs.add(Files.readString(dir.resolve("out-" + i)));
        }
        List<String> cached = files(cache);
        Process mapped = eventlog(launcher, cache, "-Xshare:on -Xlog:class+load=info", dir.resolve("out-mapped"),
                "log", "tool_use", "--tool-name", "Edit", "--store", "sqlite:" + db);
        assertThat(mapped.waitFor(5, TimeUnit.MINUTES)).isTrue();
        long rows;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM tool_events")) {
            result.next();
            rows = result.getLong(1);
        }
        String classes = Files.readString(dir.resolve("out-mapped"));
        System.out.printf("[start-up cache] exits %s, cache %s, -Xshare:on exit %d, %d classes from the archive, "
                + "rows %d%n", exits, cached, mapped.exitValue(), classes.lines()
                        .filter(l -> l.contains("shared objects file (top)")).count(), rows);
        assertThat(exits).containsOnly(0);
        assertThat(outputs).allSatisfy(out -> assertThat(out).matches("\\{\"id\":\"[^\\n]*\\}\\n"));
        assertThat(cached).filteredOn(f -> f.endsWith(".jsa")).hasSize(1);
        assertThat(cached).filteredOn(f -> f.endsWith("libsqlitejdbc.so") || f.endsWith("libsqlitejdbc.dylib"))
                .hasSize(1);
        assertThat(cached).as("no half-written file left").noneMatch(f -> f.contains(".tmp"));
        assertThat(mapped.exitValue()).as(classes.lines().limit(5).toList().toString()).isZero();
        assertThat(classes).as("the command's classes come from the archive")
                .contains("dev.eventlog.cli.EventlogCommand source: shared objects file (top)");
        assertThat(rows).isEqualTo(hooks + 1);
    }

    @Test
    void theArchiveTheBuildMadeServesTheFirstCommandAndNoneIsMadeInTheCache() throws Exception {
        Path built = EventlogSendTest.root().resolve("logging-cli/target/eventlog.jsa");
        assertThat(built).as("made by 'mvn package' (logging-cli/src/build/CdsArchive.java)").isRegularFile();
        assertThat(Files.readString(EventlogSendTest.root().resolve("logging-cli/target/eventlog.jsa.txt")))
                .startsWith(Path.of(System.getProperty("java.home"), "bin", "java") + "\n");
        Path cache = dir.resolve("cache");
        Path out = dir.resolve("out");

        Process first = eventlog(EventlogSendTest.root().resolve("bin/eventlog"), cache,
                "-Xshare:on -Xlog:class+load=info", out, "log", "tool_use", "--tool-name", "Bash", "--store",
                "sqlite:" + dir.resolve("events.db"));

        assertThat(first.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String classes = Files.readString(out);
        assertThat(first.exitValue()).as(classes.lines().limit(5).toList().toString()).isZero();
        assertThat(classes).as("the command's classes come from the build's archive")
                .contains("dev.eventlog.cli.EventlogCommand source: shared objects file (top)");
        assertThat(files(cache)).noneMatch(f -> f.endsWith(".jsa") || f.contains(".tmp"));
    }

    private Process eventlog(Path launcher, Path cache, String javaOpts, Path out, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        // The java of this test, the one the build made its archive with.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("EVENTLOG_CACHE_DIR", cache.toString());
        builder.environment().put("EVENTLOG_JAVA_OPTS", javaOpts);
        builder.environment().remove("EVENTLOG_CDS");
        return builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
