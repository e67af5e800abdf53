package dev.eventlog.internal.write;

import dev.eventlog.StoreException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** The spool's and write-ahead log's file handling: owner-only directories, segment deletion. Thread-safe. */
final class SpoolFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SpoolFiles() {
    }

    /** Creates {@code directory} (and parents) readable by the owner only, when missing. */
    static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }

    /** Deletes a segment directory and the files in it. */
    static void deleteTree(Path segment) {
        try {
            if (Files.isDirectory(segment)) {
                try (Stream<Path> files = Files.list(segment)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(file);
                    }
                }
            }
            Files.deleteIfExists(segment);
        } catch (NoSuchFileException e) {
            // Already gone: nothing left to replay twice.
            return;
        } catch (IOException e) {
            throw new StoreException("cannot delete replayed spool segment " + segment
                    + " (its events are committed; replaying it again stores nothing twice): " + e, e);
        }
    }

}
