package dev.eventlog.migrate;

import dev.eventlog.EventKind;
import java.io.IOException;
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
     * @param kind the kind of its lines
     */
    record InputFile(Path path, EventKind kind) {
    }

    private ImportInputs() {
    }

    /** The directory a default quarantine file goes to for {@code input}: itself or its parent. */
    static Path besideInput(Path input) {
        Path absolute = input.toAbsolutePath().normalize();
        return Files.isDirectory(absolute) || absolute.getParent() == null ? absolute : absolute.getParent();
    }

    /**
     * Resolves {@code inputs}, adding a sentence per problem to {@code problems}.
     *
     * @param forced the kind every file is read as, or {@code null} to take it from the names
     * @param own files the import itself writes (quarantine, progress), never read as inputs
     */
    static List<InputFile> resolve(List<Path> inputs, EventKind forced, List<Path> own, List<String> problems) {
        if (inputs.isEmpty()) {
            problems.add("inputs was '[]' but it must name at least one JSONL file or directory");
        }
        Set<Path> ownFiles = new LinkedHashSet<>();
        own.forEach(p -> ownFiles.add(p.toAbsolutePath().normalize()));
        Set<Path> seen = new LinkedHashSet<>();
        List<InputFile> files = new ArrayList<>();
        for (Path input : inputs) {
            Path path = input.toAbsolutePath().normalize();
            if (Files.isDirectory(path)) {
                List<InputFile> inDirectory = directory(path, forced, ownFiles, problems);
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
            } else if (!Files.isReadable(path)) {
                problems.add("input was '" + input + "' but it must be readable");
            } else {
                EventKind kind = forced != null ? forced
                        : EventKind.fromFileName(path.getFileName().toString()).orElse(null);
                if (kind == null) {
                    problems.add("input was '" + input + "' but its name must be one of " + knownNames()
                            + ", or a kind must be given for it");
                } else if (seen.add(path)) {
                    files.add(new InputFile(path, kind));
                }
            }
        }
        return files;
    }

    private static List<InputFile> directory(Path dir, EventKind forced, Set<Path> own, List<String> problems) {
        List<InputFile> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(Files::isRegularFile).filter(p -> !own.contains(p)).forEach(p -> {
                String name = p.getFileName().toString();
                EventKind kind = forced != null ? (name.endsWith(".jsonl") ? forced : null)
                        : EventKind.fromFileName(name).orElse(null);
                if (kind != null) {
                    files.add(new InputFile(p, kind));
                }
            });
        } catch (IOException e) {
            problems.add("input was '" + dir + "' but it must be a readable directory (" + e + ")");
        }
        files.sort(Comparator.comparing((InputFile f) -> f.kind()).thenComparing(f -> f.path().getFileName()));
        return files;
    }

    private static String knownNames() {
        List<String> names = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            names.add(kind.fileName());
        }
        return String.join(", ", names);
    }
}
