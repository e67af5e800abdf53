package dev.eventlog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Keeps sqlite-jdbc's native library unpacked in the command's cache directory: without it the
 * driver writes the library (about 1 MB) to the temporary folder at every start and deletes it at
 * exit, a tenth of the start of {@code eventlog log}. The folder is named after the driver's
 * version and the platform, so an upgrade unpacks its own; a library is written to a file of its
 * own and renamed into place, so processes started together never load a half-written one.
 *
 * <p>Used only when {@code bin/eventlog} names the cache ({@code -Deventlog.cacheDir}) and the
 * driver's own {@code org.sqlite.lib.path} is not set; any failure leaves the driver's default.
 */
final class SqliteNativeCache {
    private SqliteNativeCache() {
    }

    /** Points the driver at the cached library, unpacking it first when missing. */
    static void use() {
        String cache = System.getProperty("eventlog.cacheDir");
        if (cache == null || cache.isBlank() || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        String platform;
        String version;
        try {
            platform = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
            version = org.sqlite.SQLiteJDBCLoader.getVersion();
        } catch (RuntimeException | LinkageError e) {
            // No driver, or a platform it does not know: it finds its library its own way.
            return;
        }
        String name = System.mapLibraryName("sqlitejdbc");
        String resource = "/org/sqlite/native/" + platform + "/" + name;
        Path dir = Path.of(cache, "sqlite-" + version, platform);
        Path library = dir.resolve(name);
        if (!Files.isRegularFile(library) && !unpack(resource, dir, library)) {
            return;
        }
        System.setProperty("org.sqlite.lib.path", dir.toString());
        System.setProperty("org.sqlite.lib.name", name);
    }

    private static boolean unpack(String resource, Path dir, Path library) {
        try (InputStream in = SqliteNativeCache.class.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
            try {
                Files.copy(in, tmp);
                try {
                    Files.move(tmp, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, library, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        } catch (IOException e) {
            // A read-only or full cache: the driver unpacks into the temporary folder as before.
            return false;
        }
    }
}
