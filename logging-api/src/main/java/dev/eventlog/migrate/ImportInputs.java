package dev.eventlog.migrate;

import dev.eventlog.EventKind;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Turns the files and directories a user names into the files to import, each with its kind. */
final class ImportInputs {

    /**
     * A file to import and the kind its lines are read as.
     *
     * @param path the absolute, normalised path
     * @param kind the kind of its lines, or {@code null} when each line's {@code kind} key names it (a
     *     gzip file whose name is no kind's, such as a retention archive file)
     * @param gzip whether the file is gzip-compressed (by its first bytes)
     */
    record InputFile(Path path, EventKind kind, boolean gzip) {

        /** The key progress is kept under: the kind's, or {@code *} for a file of mixed kinds. */
        String progressKind() {
            return kind == null ? "*" : kind.key();
        }
    }

    private ImportInputs() {
    }

    /**
     * Resolves {@code inputs}, adding a sentence per problem to {@code problems}.
     *
     * @param forced the kind every file is read as, or {@code null} to take it from the names
     */
    static List<InputFile> resolve(List<Path> inputs, EventKind forced, List<String> problems) {
        if (inputs.isEmpty()) {
            problems.add("inputs was '[]' but it must name at least one JSONL file or directory");
        }
        Set<Path> seen = new LinkedHashSet<>();
        List<InputFile> files = new ArrayList<>();
        for (Path input : inputs) {
            Path path = input.toAbsolutePath().normalize();
            if (Files.isDirectory(path)) {
                List<InputFile> inDirectory = directory(path, forced, problems);
                if (inDirectory.isEmpty()) {
                    problems.add("input was '" + input + "' but it must be a directory holding "
                            + (forced == null ? "JSONL files named as the catalogue says: " + knownNames()
                                    : "*.jsonl files"));
                }
                for (InputFile file : inDirectory) {
                    if (seen.add(file.path())) {
                        files.add(file);
                    }
                }
            } else if (!Files.exists(path)) {
                problems.add("input was '" + input + "' but it must be an existing file or directory");
            } else if (!Files.isRegularFile(path)) {
                problems.add("input was '" + input + "' but it must be a regular file or a directory: a pipe or "
                        + "device is read once and cannot be resumed or checked; save it to a file and import that");
            } else if (!readable(path, problems, "input was '" + input + "'")) {
                continue;
            } else {
                boolean gzip = gzip(path, problems, input);
                String name = path.getFileName().toString();
                if (gzip && name.endsWith(".gz")) {
                    name = name.substring(0, name.length() - 3);
                }
                EventKind kind = forced != null ? forced : EventKind.fromFileName(name).orElse(null);
                if (kind == null && !gzip) {
                    problems.add("input was '" + input + "' but its name must be one of " + knownNames()
                            + ", or a kind must be given for it");
                } else if (seen.add(path)) {
                    // A gzip file of no kind's name is read line by line by each line's kind key.
                    files.add(new InputFile(path, kind, gzip));
                }
            }
        }
        return files;
    }

    private static List<InputFile> directory(Path dir, EventKind forced, List<String> problems) {
        List<InputFile> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> {
                String name = p.getFileName().toString();
                EventKind kind = forced != null ? (name.endsWith(".jsonl") ? forced : null)
                        : EventKind.fromFileName(name).orElse(null);
                if (kind == null) {
                    return;
                }
                // A file the import would read is checked now, before the target is opened or created.
                if (!Files.isRegularFile(p)) {
                    problems.add("input file '" + p + "' in '" + dir + "' must be a regular readable file, but it is "
                            + (Files.isDirectory(p) ? "a directory" : Files.exists(p) ? "a pipe or device"
                                    : "a broken link"));
                } else if (readable(p, problems, "input file '" + p + "'")) {
                    files.add(new InputFile(p, kind, gzip(p, problems, p)));
                }
            });
        } catch (IOException e) {
            problems.add("input was '" + dir + "' but it must be a readable directory (" + e + ")");
        }
        files.sort(Comparator.comparing((InputFile f) -> f.kind()).thenComparing(f -> f.path().getFileName()));
        return files;
    }

    /** Opens {@code file} for reading, the one test of readability that holds for every user. */
    private static boolean readable(Path file, List<String> problems, String named) {
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            return true;
        } catch (IOException e) {
            problems.add(named + " but it must be readable (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
            return false;
        }
    }

    /** Whether {@code file} is gzip-compressed, by its first bytes. */
    private static boolean gzip(Path file, List<String> problems, Object named) {
        try {
            return dev.eventlog.jsonl.JsonlReader.isGzip(file);
        } catch (IOException e) {
            problems.add("input was '" + named + "' but it must be readable (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
            return false;
        }
    }

    private static String knownNames() {
        List<String> names = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            names.add(kind.fileName());
        }
        return String.join(", ", names);
    }
}
