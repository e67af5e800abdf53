package dev.eventlog.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.zip.ZipEntry;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Points sqlite-jdbc at a copy of its native library kept in the user's cache directory, so that
 * a new process loads it with one {@code System.load}: left alone, sqlite-jdbc extracts the library
 * (about 1 MB) from its jar into the temporary directory at every start and compares the copy with
 * the jar's byte by byte, most of a fresh JVM's first open.
 *
 * <p>The copy lives in {@code $XDG_CACHE_HOME/eventlog/} ({@code ~/.cache/eventlog/} when unset, the
 * directory named by {@code -Deventlog.cacheDir} when set, as {@code bin/eventlog} does),
 * under a name made of the driver's version and the library's CRC-32 in the jar, so a new driver
 * writes a new copy; it is written to a temporary name and moved into place, so a process never
 * loads a half-written file. A copy of the wrong size is written again. An index file next to it
 * lets a later JVM find the copy without asking sqlite-jdbc for its library's place in the jar
 * (which starts a {@code uname} process). Nothing is done when the
 * application chose a library itself ({@code org.sqlite.lib.path} or {@code org.sqlite.lib.name}
 * set), when {@code eventlog.sqlite.nativeCache=false}, or when the library is not in a jar; any
 * failure leaves sqlite-jdbc to its own extraction. Thread-safe; acts once per JVM.
 */
final class NativeLibraryCache {
    /** The system property that turns the cache off when {@code false}. */
    static final String ENABLED_PROPERTY = "eventlog.sqlite.nativeCache";

    /** The system property naming the cache directory itself, as {@code bin/eventlog} passes it. */
    static final String CACHE_DIR_PROPERTY = "eventlog.cacheDir";

    private static boolean done;

    private NativeLibraryCache() {
    }

    /** Sets sqlite-jdbc's library properties to the cached copy, writing it first when missing. */
    static synchronized void use() {
        if (done) {
            return;
        }
        done = true;
        if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null
                || "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY))) {
            return;
        }
        String cacheDir = System.getProperty(CACHE_DIR_PROPERTY);
        Path library = cacheDir != null && !cacheDir.isBlank() ? cachedCopy(Path.of(cacheDir))
                : cachedCopy(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
        if (library != null) {
            System.setProperty("org.sqlite.lib.path", library.getParent().toString());
            System.setProperty("org.sqlite.lib.name", library.getFileName().toString());
        }
    }

    /** The cached copy of the library under {@code $XDG_CACHE_HOME/eventlog} or {@code ~/.cache/eventlog}. */
    static Path cachedCopy(String xdgCacheHome, String home) {
        Path base = xdgCacheHome != null && !xdgCacheHome.isBlank() ? Path.of(xdgCacheHome)
                : home == null ? null : Path.of(home, ".cache");
        return base == null ? null : cachedCopy(base.resolve("eventlog"));
    }

    /**
     * The cached copy of the library in {@code cache}, written when missing; {@code null} when it
     * cannot be had. A copy found or written is remembered in an index file of {@code cache},
     * named after the driver's jar, the operating system and the architecture, holding that jar's
     * size and time and the copy's path and size: while those still hold, the next JVM takes the
     * copy from the index without asking sqlite-jdbc where its library is in the jar, which starts
     * {@code uname} (to tell Android from Linux) in every process.
     */
    static Path cachedCopy(Path cache) {
        if (!cache.isAbsolute()) {
            return null;
        }
        DriverJar jar = DriverJar.of(cache);
        Path known = jar == null ? null : jar.remembered();
        if (known != null) {
            return known;
        }
        Path library = lookUp(cache);
        if (jar != null && library != null) {
            jar.remember(library);
        }
        return library;
    }

    /** The library's copy in {@code cache} for the library in sqlite-jdbc's jar, written when missing or of the wrong size. */
    private static Path lookUp(Path cache) {
        String name = LibraryLoaderUtil.getNativeLibName();
        URL resource = SQLiteJDBCLoader.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
        if (resource == null || !"jar".equals(resource.getProtocol())) {
            return null;
        }
        JarURLConnection connection = null;
        try {
            connection = (JarURLConnection) resource.openConnection();
            // A jar file of its own, closed below: the cache is consulted once per JVM.
            connection.setUseCaches(false);
            ZipEntry entry = connection.getJarEntry();
            if (entry == null || entry.getSize() < 0) {
                return null;
            }
            Path directory = cache.resolve(String.format(Locale.ROOT, "sqlite-jdbc-%s-%08x",
                    SQLiteJDBCLoader.getVersion(), entry.getCrc()));
            Path library = directory.resolve(name);
            if (Files.isRegularFile(library) && Files.size(library) == entry.getSize()) {
                return library;
            }
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, name, ".partial",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                try (InputStream in = connection.getInputStream()) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                if (Files.size(partial) != entry.getSize()) {
                    return null;
                }
                try {
                    Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
            return library;
        } catch (IOException | RuntimeException e) {
            // A read-only or full home, a file system without POSIX permissions: sqlite-jdbc then
            // extracts the library to the temporary directory as it does without this cache.
            return null;
        } finally {
            close(connection);
        }
    }

    private static void close(JarURLConnection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.getJarFile().close();
        } catch (IOException e) {
            // Only a descriptor of the eventlog jar stays open: nothing the store depends on.
            LoggerFactory.getLogger(NativeLibraryCache.class)
                    .debug("could not close the jar of sqlite-jdbc's native library", e);
        }
    }

    /**
     * The jar sqlite-jdbc is loaded from, as a key of the index of {@link #cachedCopy(Path)}: its
     * path, size and modification time.
     */
    private record DriverJar(Path index, String key) {
        /** The jar's key and its index file in {@code cache}; {@code null} when the driver is not loaded from a file. */
        static DriverJar of(Path cache) {
            try {
                java.security.CodeSource source = SQLiteJDBCLoader.class.getProtectionDomain().getCodeSource();
                if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
                    return null;
                }
                Path jar = Path.of(source.getLocation().toURI());
                BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
                if (!attributes.isRegularFile()) {
                    return null;
                }
                // Joined, not concatenated or formatted: the first string concatenation of a shape
                // generates classes, which costs a new JVM more than the rest of this lookup.
                String key = String.join("\t", jar.toString(), Long.toString(attributes.size()),
                        Long.toString(attributes.lastModifiedTime().toMillis()), System.getProperty("os.name"),
                        System.getProperty("os.arch"));
                return new DriverJar(cache.resolve("sqlite-jdbc-".concat(Integer.toHexString(key.hashCode()))
                        .concat(".index")), key);
            } catch (IOException | URISyntaxException | RuntimeException e) {
                // Not a file on the default file system, or unreadable: the copy is looked up the usual way.
                return null;
            }
        }

        /** The copy the index names for this jar, when it is there with the size it was written with; else {@code null}. */
        Path remembered() {
            try {
                String[] lines = Files.readString(index).split("\n");
                if (lines.length != 3 || !lines[0].equals(key)) {
                    return null;
                }
                Path library = Path.of(lines[1]);
                return Files.size(library) == Long.parseLong(lines[2]) ? library : null;
            } catch (IOException | RuntimeException e) {
                // No index yet, or a copy gone or cut short: looked up (and written) again.
                return null;
            }
        }

        /** Writes the index for this jar, naming {@code library}; left unwritten when that fails. */
        void remember(Path library) {
            Path partial = null;
            try {
                partial = Files.createTempFile(index.getParent(), index.getFileName().toString(), ".partial");
                Files.writeString(partial, String.join("\n", key, library.toString(), Long.toString(Files.size(library))));
                try {
                    Files.move(partial, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, index, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException | RuntimeException e) {
                // The next JVM looks the copy up again, as without the index.
                LoggerFactory.getLogger(NativeLibraryCache.class).debug("could not write {}", index, e);
            } finally {
                deleteQuietly(partial);
            }
        }

        private static void deleteQuietly(Path partial) {
            if (partial == null) {
                return;
            }
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                LoggerFactory.getLogger(NativeLibraryCache.class).debug("could not delete {}", partial, e);
            }
        }
    }
}
