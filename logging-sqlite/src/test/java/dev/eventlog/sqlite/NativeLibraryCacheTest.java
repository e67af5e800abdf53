package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.ActivityEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/** The cached copy of sqlite-jdbc's native library: written once, byte for byte, and loaded by a new JVM. */
class NativeLibraryCacheTest {
    @TempDir
    Path dir;

    private static byte[] jarLibrary() throws IOException {
        String name = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theCopyIsTheJarsLibraryWrittenOnceAndWrittenAgainWhenTruncated() throws IOException {
        Path cache = dir.resolve("cache");

        Path library = NativeLibraryCache.cachedCopy(cache.toString(), "/nonexistent-home");

        assertThat(library).isNotNull().startsWith(cache.resolve("eventlog"));
        assertThat(library.getParent().getFileName().toString()).startsWith("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion());
        assertThat(Files.readAllBytes(library)).isEqualTo(jarLibrary());
        FileTime written = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(library, written);

        assertThat(NativeLibraryCache.cachedCopy(cache.toString(), null)).isEqualTo(library);
        assertThat(Files.getLastModifiedTime(library)).isEqualTo(written);

        Files.write(library, new byte[] {1, 2, 3});
        assertThat(NativeLibraryCache.cachedCopy(cache.toString(), null)).isEqualTo(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(jarLibrary());
        try (Stream<Path> files = Files.list(library.getParent())) {
            assertThat(files).containsExactly(library);
        }
    }

    @Test
    void theIndexNamesTheCopyForTheNextLookUpUntilTheCopyChanges() throws IOException {
        Path cache = dir.resolve("cache");
        Path library = NativeLibraryCache.cachedCopy(cache.toString(), null);
        Path index;
        try (Stream<Path> files = Files.list(cache.resolve("eventlog"))) {
            index = files.filter(file -> file.getFileName().toString().endsWith(".index")).findFirst().orElseThrow();
        }
        // An index naming another file of the recorded size is believed: the jar is not asked again.
        Path other = Files.copy(library, dir.resolve("other-copy.so"));
        Files.writeString(index, Files.readString(index).replace(library.toString(), other.toString()));

        assertThat(NativeLibraryCache.cachedCopy(cache.toString(), null)).isEqualTo(other);

        // A named copy that is gone, or of another size, is looked up in the jar again and the index rewritten.
        Files.write(other, new byte[] {1, 2, 3});
        assertThat(NativeLibraryCache.cachedCopy(cache.toString(), null)).isEqualTo(library);
        assertThat(Files.readString(index)).contains(library.toString()).doesNotContain(other.toString());
        Files.delete(library);
        assertThat(NativeLibraryCache.cachedCopy(cache.toString(), null)).isEqualTo(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(jarLibrary());
    }

    @Test
    void withoutAUsableCacheDirectoryNothingIsWritten() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        assertThat(NativeLibraryCache.cachedCopy(file.toString(), null)).isNull();
        assertThat(NativeLibraryCache.cachedCopy(null, null)).isNull();
        assertThat(NativeLibraryCache.cachedCopy("relative/dir", null)).isNull();
    }

    @Test
    void aNewJvmOpensAStoreWithTheCachedLibraryAndTheNextOneReusesIt() throws Exception {
        Path cache = dir.resolve("cache");
        String first = child(cache, dir.resolve("one.db"));
        assertThat(first).startsWith("lib.path=" + cache.resolve("eventlog")).endsWith(" stored=1");
        Path library = Path.of(first.substring("lib.path=".length(), first.indexOf(' '))
                , LibraryLoaderUtil.getNativeLibName());
        FileTime written = Files.getLastModifiedTime(library);

        String second = child(cache, dir.resolve("two.db"));

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(library)).isEqualTo(written);
    }

    private String child(Path cache, Path db) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), db.toString());
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.redirectError(dir.resolve("child-stderr.txt").toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("child-stderr.txt"))).isZero();
        return out;
    }

    /** Opens a new store, stores one event and prints where sqlite-jdbc loaded its library from. */
    static final class Child {
        public static void main(String[] args) {
            try (SqliteEventStore store = SqliteEventStore.open(Path.of(args[0]))) {
                int stored = store.append(List.of(ActivityEvent.builder().activityType("start").build()));
                System.out.println("lib.path=" + System.getProperty("org.sqlite.lib.path") + " stored=" + stored);
            }
        }
    }
}
