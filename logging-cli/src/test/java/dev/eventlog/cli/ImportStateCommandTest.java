package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.sqlite.SqliteEventStore;
import dev.eventlog.testkit.Samples;
import dev.eventlog.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the import keeps its state, and that the state is true: checked against the target and the
 * input on every run, never written into an input, never replacing something that is not a file.
 */
class ImportStateCommandTest {
    @RegisterExtension
    static final TestDatabase POSTGRES = new TestDatabase();

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("events.db");
    }

    private String store() {
        return "sqlite:" + db();
    }

    private long rows() {
        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            return store.count(EventQuery.all()).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    void aSqliteTargetDeletedAndRecreatedGetsEveryEventAgain() throws IOException {
        Path samples = Samples.copyTo(dir.resolve("samples"));
        long total = Samples.expectedCounts().values().stream().mapToLong(Long::longValue).sum();
        Cli.Result first = Cli.run("import", "--to", store(), "--json", samples.toString());
        Files.delete(db());
        Files.deleteIfExists(dir.resolve("events.db-wal"));
        Files.deleteIfExists(dir.resolve("events.db-shm"));

        Cli.Result second = Cli.run("import", "--to", store(), "--json", samples.toString());

        System.out.printf("first import: %d imported; after deleting the database: %d imported, %d rows%n",
                first.json().at("/totals/imported").asLong(), second.json().at("/totals/imported").asLong(), rows());
        assertThat(second.json().at("/totals/imported").asLong()).isEqualTo(total);
        assertThat(rows()).isEqualTo(total);
        assertThat(second.json().at("/notes").toString()).contains("no longer holds the last event imported from");
    }

    @Test
    void anOlderCopyOfASqliteTargetRestoredGetsTheEventsItLacks() throws IOException {
        Path file = dir.resolve("tool-usage.jsonl");
        Files.writeString(file, "{\"ts\": 1, \"tool\": \"Read\"}\n{\"ts\": 2, \"tool\": \"Edit\"}\n");
        Cli.Result first = Cli.run("import", "--to", store(), "--json", file.toString());
        Path backup = Files.copy(db(), dir.resolve("backup.db"));
        Files.writeString(file, "{\"ts\": 3, \"tool\": \"Bash\"}\n{\"ts\": 4, \"tool\": \"Grep\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        Cli.Result grown = Cli.run("import", "--to", store(), "--json", file.toString());
        Files.copy(backup, db(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long rowsRestored = rows();

        Cli.Result restored = Cli.run("import", "--to", store(), "--json", file.toString());

        System.out.printf("first %d, grown %d, rows in the restored copy %d, then imported %d, present %d, rows %d%n",
                first.json().at("/totals/imported").asLong(), grown.json().at("/totals/imported").asLong(),
                rowsRestored, restored.json().at("/totals/imported").asLong(),
                restored.json().at("/totals/already_present").asLong(), rows());
        assertThat(rowsRestored).isEqualTo(2);
        assertThat(restored.exitCode()).as(restored.err()).isZero();
        assertThat(restored.json().at("/totals/imported").asLong()).isEqualTo(2);
        assertThat(restored.json().at("/totals/already_present").asLong()).isEqualTo(2);
        assertThat(rows()).isEqualTo(4);
    }

    @Test
    void aPostgresqlSchemaDroppedAndRecreatedGetsEveryEventAgain() throws IOException {
        Path samples = Samples.copyTo(dir.resolve("samples"));
        long total = Samples.expectedCounts().values().stream().mapToLong(Long::longValue).sum();
        String schema = POSTGRES.newSchemaName();
        POSTGRES.execute("CREATE SCHEMA " + schema);
        String url = POSTGRES.url(schema);
        Cli.Result first = Cli.run("import", "--to", url, "--json", samples.toString());
        POSTGRES.execute("DROP SCHEMA " + schema + " CASCADE", "CREATE SCHEMA " + schema);

        Cli.Result second = Cli.run("import", "--to", url, "--json", samples.toString());

        System.out.printf("first import: %d imported; after re-creating the schema: %d imported, rows %s%n",
                first.json().at("/totals/imported").asLong(), second.json().at("/totals/imported").asLong(),
                second.json().at("/rows_after"));
        assertThat(first.json().at("/totals/imported").asLong()).isEqualTo(total);
        assertThat(second.json().at("/totals/imported").asLong()).isEqualTo(total);
        assertThat(second.json().at("/rows_after/git_events").asLong())
                .isEqualTo(Samples.expectedCounts().get(EventKind.GIT));
    }

    /**
     * The import's batches commit without waiting for the server's disk, so a crash of the server
     * may lose the last ones the progress file counts (every commit after a point, none before it):
     * here the rows of the last three transactions are deleted, as such a crash would leave them.
     */
    @Test
    void aPostgresqlServerThatLostTheLastBatchesOfAnImportGetsThemAtTheNextRun() throws Exception {
        Path samples = Samples.copyTo(dir.resolve("samples"));
        long total = Samples.expectedCounts().values().stream().mapToLong(Long::longValue).sum();
        String schema = POSTGRES.newSchemaName();
        POSTGRES.execute("CREATE SCHEMA " + schema);
        String url = POSTGRES.url(schema);
        Cli.Result first = Cli.run("import", "--to", url, "--batch-size", "3", "--json", samples.toString());
        long lost = 0;
        try (Connection admin = POSTGRES.admin(); Statement statement = admin.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = '" + schema + "' AND table_name LIKE '%\\_events'"
                    + " AND table_type = 'BASE TABLE'")) {
                while (rows.next()) {
                    tables.add(schema + "." + rows.getString(1));
                }
            }
            StringJoiner newest = new StringJoiner(" UNION ALL ");
            tables.forEach(t -> newest.add("SELECT max(xmin::text::bigint) FROM " + t));
            long last;
            try (ResultSet rows = statement.executeQuery("SELECT max(m) FROM (" + newest + ") AS x(m)")) {
                rows.next();
                last = rows.getLong(1);
            }
            for (String table : tables) {
                lost += statement.executeUpdate("DELETE FROM " + table + " WHERE xmin::text::bigint >= " + (last - 2));
            }
        }

        Cli.Result second = Cli.run("import", "--to", url, "--batch-size", "3", "--json", samples.toString());

        System.out.printf("first import: %d imported; %d rows lost; the next run: %d imported, notes %s%n",
                first.json().at("/totals/imported").asLong(), lost, second.json().at("/totals/imported").asLong(),
                second.json().at("/notes"));
        assertThat(first.json().at("/totals/imported").asLong()).isEqualTo(total);
        assertThat(lost).isPositive();
        assertThat(second.json().at("/totals/imported").asLong()).isEqualTo(lost);
        assertThat(second.json().at("/notes").toString()).contains("no longer holds the last event imported");
        assertThat(second.json().at("/content_check/ok").asBoolean()).isTrue();
        long after = 0;
        for (var table = second.json().at("/rows_after").fields(); table.hasNext(); ) {
            after += table.next().getValue().asLong();
        }
        assertThat(after).isEqualTo(total);
    }

    @Test
    void aReadOnlyInputFolderImportsAndNothingNewAppearsInIt() throws Exception {
        Path in = Samples.copyTo(dir.resolve("samples"));
        List<Path> before = listing(in);
        // A read-only bind mount refuses writes to root too, unlike chmod 555.
        boolean readOnly = run("mount", "--bind", in.toString(), in.toString()) == 0;
        if (readOnly && run("mount", "-o", "remount,bind,ro", in.toString()) != 0) {
            run("umount", in.toString());
            readOnly = false;
        }
        in.toFile().setWritable(false, false);
        try {
            if (readOnly) {
                assertThat(in.resolve("probe").toFile().createNewFile()).isFalse();
            }
        } catch (IOException e) {
            // Expected on the read-only mount: the folder refuses new files.
            System.out.println("the input folder refuses writes: " + e.getMessage());
        }
        Cli.Result result;
        try {
            result = Cli.run("import", "--to", store(), "--json", in.toString());
        } finally {
            in.toFile().setWritable(true, false);
            if (readOnly) {
                run("umount", in.toString());
            }
        }

        System.out.printf("read-only mount: %s; exit %d; %d rows; input folder %d files before, %d after%n", readOnly,
                result.exitCode(), rows(), before.size(), listing(in).size());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(rows()).isEqualTo(Samples.expectedCounts().values().stream().mapToLong(Long::longValue).sum());
        assertThat(listing(in)).isEqualTo(before);
        Path quarantine = Path.of(result.json().at("/quarantine").asText());
        assertThat(quarantine).exists();
        assertThat(quarantine.startsWith(Path.of(System.getenv("XDG_STATE_HOME"), "eventlog", "import"))).isTrue();
    }

    @Test
    void aProgressFileOrQuarantineThatIsAnInputOrInsideAnInputFolderIsRefusedAndTheInputKept() throws IOException {
        Path in = Samples.copyTo(dir.resolve("samples"));
        Path git = in.resolve("git-activity.jsonl");
        String gitBefore = Files.readString(git);
        Path single = Files.copy(git, dir.resolve("git-activity.jsonl"));

        Cli.Result intoInput = Cli.run("import", "--to", store(), "--progress-file", single.toString(),
                single.toString());
        Cli.Result intoFolder = Cli.run("import", "--to", store(), "--quarantine", git.toString(), in.toString());
        Cli.Result stateInFolder = Cli.run("import", "--to", store(), "--state-dir", in.resolve("state").toString(),
                in.toString());

        assertThat(intoInput.exitCode()).isEqualTo(2);
        assertThat(intoInput.reason()).isEqualTo("eventlog import: --progress-file was '" + single
                + "' but it must not be an input: it would be overwritten");
        assertThat(intoFolder.exitCode()).isEqualTo(2);
        assertThat(intoFolder.reason()).isEqualTo("eventlog import: --quarantine was '" + git
                + "' but it must be outside the input folder '" + in + "': the import never writes into its input");
        assertThat(stateInFolder.exitCode()).isEqualTo(2);
        assertThat(stateInFolder.reason()).startsWith("eventlog import: --state-dir was '" + in.resolve("state"));
        assertThat(Files.readString(git)).isEqualTo(gitBefore);
        assertThat(Files.readString(single)).isEqualTo(gitBefore);
        assertThat(in.resolve("state")).doesNotExist();
        assertThat(db()).doesNotExist();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aFifoIsNeverReplacedNorReadAndNothingHangs() throws Exception {
        Path file = Files.writeString(dir.resolve("activity.jsonl"), "{\"ts\": 1, \"activity_type\": \"a\"}\n");
        Path fifo = dir.resolve("pipe");
        assertThat(run("mkfifo", fifo.toString())).as("mkfifo").isZero();

        Cli.Result asInput = Cli.run("import", "--to", store(), "--kind", "activity", fifo.toString());
        Cli.Result asQuarantine = Cli.run("import", "--to", store(), "--quarantine", fifo.toString(), file.toString());
        Cli.Result asReport = Cli.run("report", "jsonl:" + Files.createDirectories(dir.resolve("empty")), "--out",
                fifo.toString());

        assertThat(asInput.exitCode()).isEqualTo(2);
        assertThat(asInput.reason()).isEqualTo("eventlog import: input was '" + fifo + "' but it must be a regular file "
                + "or a directory: a pipe or device is read once and cannot be resumed or checked; save it to a file "
                + "and import that");
        assertThat(asQuarantine.exitCode()).isEqualTo(2);
        assertThat(asQuarantine.reason()).isEqualTo("eventlog import: --quarantine was '" + fifo
                + "' but it must be a regular file, not a FIFO, socket or device: it is never replaced");
        assertThat(asReport.exitCode()).isEqualTo(2);
        assertThat(asReport.reason()).isEqualTo("eventlog report: --out was '" + fifo
                + "' but it must be a regular file, not a FIFO, socket or device: it is never replaced");
        assertThat(db()).doesNotExist();
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.exists(fifo)).isTrue();
    }

    @Test
    void aReportNeverReplacesADirectoryAndLeavesNoTempFile() throws IOException {
        Path samples = Samples.copyTo(dir.resolve("samples"));
        Cli.run("import", "--to", store(), samples.toString());
        Path out = Files.createDirectories(dir.resolve("out"));
        Path aDirectory = Files.createDirectories(out.resolve("report.html"));
        Files.writeString(aDirectory.resolve("keep.txt"), "kept");

        Cli.Result refused = Cli.run("report", store(), "--out", aDirectory.toString());
        Cli.Result written = Cli.run("report", store(), "--out", out.resolve("second.html").toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.reason()).isEqualTo("eventlog report: --out was '" + aDirectory
                + "' but it must be a regular file, not a directory: it is never replaced");
        assertThat(Files.readString(aDirectory.resolve("keep.txt"))).isEqualTo("kept");
        assertThat(written.exitCode()).as(written.err()).isZero();
        assertThat(listing(out)).containsExactly(out.resolve("report.html"), out.resolve("second.html"));
    }

    @Test
    void anUnreadableFileInAnInputFolderIsNamedBeforeTheTargetIsCreated() throws IOException {
        Path in = Samples.copyTo(dir.resolve("samples"));
        // A link to nothing under a name the import reads: unreadable for every user, root included.
        Path broken = in.resolve("custom-events.jsonl");
        Files.createSymbolicLink(broken, dir.resolve("gone.jsonl"));

        Cli.Result result = Cli.run("import", "--to", store(), in.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).isEqualTo("eventlog import: input file '" + broken + "' in '" + in
                + "' must be a regular readable file, but it is a broken link");
        assertThat(db()).doesNotExist();

        // Where permissions bind (not root), a file without read permission is named the same way.
        Files.delete(broken);
        Path locked = Files.writeString(broken, "{\"ts\": 1}\n");
        locked.toFile().setReadable(false, false);
        try {
            boolean enforced = !Files.isReadable(locked);
            Cli.Result denied = Cli.run("import", "--to", store(), in.toString());
            if (enforced) {
                assertThat(denied.exitCode()).isEqualTo(2);
                assertThat(denied.reason()).contains("input file '" + locked + "' but it must be readable");
                assertThat(db()).doesNotExist();
            } else {
                System.out.println("running as root: a file without read permission is still readable, "
                        + "so only the broken link is checked");
            }
        } finally {
            locked.toFile().setReadable(true, false);
        }
    }

    @Test
    void anEmptyFileIsANoteAndExitsZero() throws IOException {
        Path file = Files.createFile(dir.resolve("activity.jsonl"));

        Cli.Result result = Cli.run("import", "--to", store(), file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("note: " + file + " is empty: nothing to import").contains("result: ok");
    }

    @Test
    void storesThatDifferExitOneWithALineOnStderr() throws IOException {
        Path samples = Samples.copyTo(dir.resolve("samples"));
        Cli.run("import", "--to", store(), samples.toString());
        String empty = "jsonl:" + Files.createDirectories(dir.resolve("empty"));

        Cli.Result verify = Cli.run("verify", store(), empty);

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.reason()).startsWith("eventlog verify: the stores differ in ").endsWith("(exit code 1)");
    }

    private static List<Path> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        int code = process.waitFor();
        if (code != 0) {
            System.out.println(String.join(" ", command) + ": exit " + code + ": " + output.strip());
        }
        return code;
    }
}
