package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import's saved state is true of the target and of the input, and lives outside the input. */
class ImportStateTest {
    @TempDir
    Path dir;

    @Test
    void aTargetDeletedAndRecreatedGetsEveryEventAgain() throws IOException {
        Path file = activityFile(5);
        Path store = dir.resolve("target");
        MigrationReport first = importInto(store, file);
        deleteTree(store);

        MigrationReport second = importInto(store, file);

        System.out.printf("first imported %d, after re-creating the target imported %d, rows %d%n",
                first.totals().imported(), second.totals().imported(), rows(store));
        assertThat(first.totals().imported()).isEqualTo(5);
        assertThat(second.totals().imported()).isEqualTo(5);
        assertThat(rows(store)).isEqualTo(5);
        assertThat(second.notes()).anyMatch(n -> n.contains("no longer holds the last event imported from " + file));
    }

    @Test
    void anOlderCopyOfTheTargetRestoredGetsTheEventsItLacks() throws IOException {
        Path file = activityFile(3);
        Path store = dir.resolve("target");
        importInto(store, file);
        Path backup = dir.resolve("backup");
        copyTree(store, backup);
        appendActivity(file, 4, 4);
        MigrationReport grown = importInto(store, file);
        deleteTree(store);
        copyTree(backup, store);

        MigrationReport afterRestore = importInto(store, file);

        System.out.printf("grown: imported %d; after restoring the older copy: read %d, imported %d, present %d, rows %d%n",
                grown.totals().imported(), afterRestore.totals().read(), afterRestore.totals().imported(),
                afterRestore.totals().alreadyPresent(), rows(store));
        assertThat(grown.totals().imported()).isEqualTo(4);
        assertThat(afterRestore.totals().imported()).isEqualTo(4);
        assertThat(afterRestore.totals().alreadyPresent()).isEqualTo(3);
        assertThat(rows(store)).isEqualTo(7);
    }

    @Test
    void aRejectedLineFixedInPlaceWithAnEditOfTheSameLengthIsReadAgainAndImported() throws IOException {
        // Large enough that the broken line is far from the file's first and last 4 KiB.
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 400; i++) {
            text.append("{\"ts\": ").append(i).append(", \"activity_type\": \"step ").append(i)
                    .append(i == 200 ? "\"]\n" : "\"}\n");
        }
        Path file = Files.createDirectories(dir.resolve("in")).resolve("activity.jsonl");
        Files.writeString(file, text);
        Path store = dir.resolve("target");
        MigrationReport first = importInto(store, file);
        long size = Files.size(file);
        Files.writeString(file, text.toString().replace("step 200\"]", "step 200\"}"));

        MigrationReport second = importInto(store, file);

        System.out.printf("first: imported %d, rejected %d; after fixing line 200 in place (size %d -> %d): "
                + "imported %d, present %d, rows %d%n", first.totals().imported(), first.totals().rejected(), size,
                Files.size(file), second.totals().imported(), second.totals().alreadyPresent(), rows(store));
        assertThat(Files.size(file)).isEqualTo(size);
        assertThat(first.totals().rejected()).isEqualTo(1);
        assertThat(second.totals().imported()).isEqualTo(1);
        assertThat(second.totals().rejected()).isZero();
        assertThat(rows(store)).isEqualTo(400);
        assertThat(second.notes()).anyMatch(n -> n.contains(file + " changed since the last import"));
    }

    @Test
    void anUnchangedFileIntoAnUnchangedTargetIsNotReadAgain() throws IOException {
        Path file = activityFile(4);
        Path store = dir.resolve("target");
        importInto(store, file);

        MigrationReport second = importInto(store, file);

        assertThat(second.totals().read()).isZero();
        assertThat(rows(store)).isEqualTo(4);
        assertThat(second.notes()).anyMatch(n -> n.contains("unchanged since the last import"));
    }

    @Test
    void theStateGoesToItsOwnDirectoryAndNothingIsWrittenIntoTheInputFolder() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("activity.jsonl"), "{\"ts\": 1, \"activity_type\": \"a\"}\nnot json\n");
        List<Path> before = listing(in);
        Path stateHome = dir.resolve("state-home");

        try (JsonlEventStore target = JsonlEventStore.open(dir.resolve("target"))) {
            Importer importer = Importer.builder().target(target).input(in)
                    .environment(Map.of("XDG_STATE_HOME", stateHome.toString())).build();
            MigrationReport report = importer.run();

            assertThat(report.totals().rejected()).isEqualTo(1);
            assertThat(importer.stateDirectory().getParent()).isEqualTo(stateHome.resolve("eventlog/import"));
            assertThat(importer.stateDirectory().getFileName().toString()).matches("in-[0-9a-f]{16}");
            assertThat(listing(importer.stateDirectory())).containsExactlyInAnyOrder(
                    importer.stateDirectory().resolve(Importer.DEFAULT_PROGRESS),
                    importer.stateDirectory().resolve(Importer.DEFAULT_QUARANTINE));
        }
        assertThat(listing(in)).isEqualTo(before);
    }

    @Test
    void theDefaultStateDirectoryDiffersPerTargetAndStaysTheSameForTheSameInputsAndTarget() throws IOException {
        Path file = activityFile(1);
        try (JsonlEventStore one = JsonlEventStore.open(dir.resolve("one"));
                JsonlEventStore two = JsonlEventStore.open(dir.resolve("two"))) {
            Path first = Importer.builder().target(one).input(file).build().stateDirectory();
            Path again = Importer.builder().target(one).input(dir.resolve("in/../in/activity.jsonl")).build()
                    .stateDirectory();
            Path second = Importer.builder().target(two).input(file).build().stateDirectory();

            assertThat(first).isEqualTo(again).isNotEqualTo(second);
            assertThat(first.getFileName().toString()).startsWith("activity.jsonl-");
        }
    }

    @Test
    void outputsThatAreInputsOrInsideAnInputFolderOrNotRegularFilesAreRefusedBeforeTheTargetIsTouched()
            throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path file = Files.writeString(in.resolve("activity.jsonl"), "{\"ts\": 1, \"activity_type\": \"a\"}\n");
        Path single = Files.writeString(dir.resolve("git-activity.jsonl"), "{\"ts\": 1, \"project\": \"p\"}\n");
        Path aDirectory = Files.createDirectories(dir.resolve("a-directory"));

        assertThatThrownBy(() -> Importer.builder().input(file).quarantine(file).checkInputs())
                .hasMessage("quarantine was '" + file + "' but it must not be an input: it would be overwritten");
        assertThatThrownBy(() -> Importer.builder().input(in).quarantine(file).checkInputs())
                .hasMessage("quarantine was '" + file + "' but it must be outside the input folder '" + in
                        + "': the import never writes into its input");
        assertThatThrownBy(() -> Importer.builder().input(single).progressFile(single).checkInputs())
                .hasMessageContaining("progressFile was '" + single + "' but it must not be an input");
        assertThatThrownBy(() -> Importer.builder().input(in).progressFile(in.resolve("sub/progress.json"))
                .checkInputs()).hasMessageContaining("but it must be outside the input folder '" + in + "'");
        assertThatThrownBy(() -> Importer.builder().input(in).stateDirectory(in.resolve("state")).checkInputs())
                .hasMessageContaining("stateDirectory was '" + in.resolve("state") + "' but it must be outside");
        assertThatThrownBy(() -> Importer.builder().input(in).quarantine(aDirectory).checkInputs())
                .hasMessageContaining("but it must be a regular file, not a directory");
        assertThatThrownBy(() -> Importer.builder().input(in).quarantine(Path.of("/dev/null")).checkInputs())
                .hasMessageContaining("quarantine was '/dev/null' but it must be a regular file, not a FIFO, socket or device");
        assertThat(Files.readString(file)).isEqualTo("{\"ts\": 1, \"activity_type\": \"a\"}\n");
        assertThat(listing(in)).containsExactly(file);
    }

    @Test
    void aFifoInputIsRefusedAndAFifoInAFolderIsNamed() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path fifo = in.resolve("activity.jsonl");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();

        assertThatThrownBy(() -> Importer.builder().input(fifo).checkInputs())
                .hasMessageContaining("input was '" + fifo + "' but it must be a regular file or a directory");
        assertThatThrownBy(() -> Importer.builder().input(in).checkInputs())
                .hasMessageContaining("input file '" + fifo + "' in '" + in + "' must be a regular readable file, "
                        + "but it is a pipe or device");
    }

    @Test
    void anEmptyFileIsANoteNotAFailure() throws IOException {
        Path file = Files.createFile(Files.createDirectories(dir.resolve("in")).resolve("activity.jsonl"));

        MigrationReport report = importInto(dir.resolve("target"), file);

        assertThat(report.ok()).isTrue();
        assertThat(report.totals().read()).isZero();
        assertThat(report.notes()).contains(file + " is empty: nothing to import");
    }

    private MigrationReport importInto(Path store, Path input) {
        try (JsonlEventStore target = JsonlEventStore.open(store)) {
            return Importer.builder().target(target).input(input).build().run();
        }
    }

    private long rows(Path store) {
        try (JsonlEventStore target = JsonlEventStore.open(store)) {
            return target.count(EventQuery.of(EventKind.ACTIVITY)).get(EventKind.ACTIVITY);
        }
    }

    private Path activityFile(int lines) throws IOException {
        Path file = Files.createDirectories(dir.resolve("in")).resolve("activity.jsonl");
        Files.writeString(file, "");
        appendActivity(file, 1, lines);
        return file;
    }

    private static void appendActivity(Path file, int from, int count) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            text.append("{\"id\": \"").append(String.format("018f0000-0000-7000-8000-%012d", i))
                    .append("\", \"ts\": ").append(1769580000 + i).append(", \"activity_type\": \"step ").append(i)
                    .append("\"}\n");
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static List<Path> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>(paths.toList());
            all.sort(Comparator.reverseOrder());
            for (Path path : all) {
                Files.delete(path);
            }
        }
    }
}
