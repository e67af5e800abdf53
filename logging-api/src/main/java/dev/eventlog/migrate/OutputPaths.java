package dev.eventlog.migrate;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The rules for the files the import writes (progress, quarantine): never an input, never inside an
 * input folder, never a directory, FIFO or device in place of a file; replaced by a rename of a temp
 * file written beside it. Thread-safe (no state).
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * Adds a sentence to {@code problems} when {@code output}, named by {@code setting}, is one of
     * {@code inputs}, lies inside an input directory, or exists as something other than a regular file.
     */
    static void check(String setting, Path output, List<Path> inputs, List<String> problems) {
        Path canonical = canonical(output);
        for (Path input : inputs) {
            Path in = canonical(input);
            if (canonical.equals(in) || sameFile(output, input)) {
                problems.add(setting + " was '" + output + "' but it must not be an input: it would be overwritten");
                return;
            }
            if (Files.isDirectory(in) && canonical.startsWith(in)) {
                problems.add(setting + " was '" + output + "' but it must be outside the input folder '" + input
                        + "': the import never writes into its input");
                return;
            }
        }
        if (Files.exists(output) && !Files.isRegularFile(output)) {
            problems.add(setting + " was '" + output + "' but it must be a regular file, not " + what(output)
                    + ": it is never replaced");
        }
    }

    /** Like {@link #check}, for a directory the import creates files in. */
    static void checkDirectory(String setting, Path dir, List<Path> inputs, List<String> problems) {
        Path canonical = canonical(dir);
        for (Path input : inputs) {
            Path in = canonical(input);
            if (Files.isDirectory(in) && canonical.startsWith(in)) {
                problems.add(setting + " was '" + dir + "' but it must be outside the input folder '" + input
                        + "': the import never writes into its input");
                return;
            }
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            problems.add(setting + " was '" + dir + "' but it must be a directory, not " + what(dir));
        }
    }

    /** Moves {@code tmp} over {@code target} in one step where the file system allows. */
    static void replace(Path tmp, Path target) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new IOException(target + " is " + what(target) + ", not a regular file: it is never replaced");
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a temp file left by a write that failed; the write's own failure is what gets reported. */
    static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // The failure that left it behind is already on its way up; this one would only hide it.
            tmp.toFile().deleteOnExit();
        }
    }

    /** {@code path} with symbolic links resolved as far as it exists, then normalised. */
    static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            return absolute;
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static String what(Path path) {
        if (Files.isDirectory(path)) {
            return "a directory";
        }
        if (Files.isSymbolicLink(path) && !Files.exists(path)) {
            return "a broken symbolic link";
        }
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? "a file" : "a FIFO, socket or device";
    }
}
