package dev.eventlog.sqlite;

import dev.eventlog.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The empty store that a new SQLite file starts as: a SQLite database that Liquibase built from
 * this jar's changelog when the jar was built, with its {@code DATABASECHANGELOG} rows, shipped
 * as the resource {@value #RESOURCE}. Creating a new store copies it instead of running
 * Liquibase, which costs a second or more in a fresh JVM; Liquibase agrees with the copy
 * afterwards ({@code validate}, {@code status}, {@code update} and {@code rollback} work on it as
 * on a file it built itself).
 *
 * <p>The copy is atomic: the template is written to a temporary file beside the new store, forced
 * to disk, and then hard-linked to the store's name, which fails when that name exists. Of
 * several processes creating one store at once, one link wins and the others open its file. When
 * the template is missing or the file system cannot link, the store is created empty and Liquibase
 * gives it its schema, as before.
 *
 * <p>{@link #main(String[])} builds the template; the build runs it in {@code process-classes}.
 */
public final class SqliteTemplate {
    /** The class path resource of the template. */
    public static final String RESOURCE = "dev/eventlog/sqlite/template/events.db";

    private static final AtomicLong TEMPORARY_NAMES = new AtomicLong();

    private SqliteTemplate() {
    }

    /** What {@link #createFrom(Path)} did. */
    enum Outcome {
        /** This process created the file from the template. */
        CREATED,
        /** Another process created the file meanwhile; it is opened as any existing file. */
        CREATED_BY_ANOTHER,
        /** The template was not used: the file existed, or the template or hard links are unavailable. */
        NOT_USED
    }

    /**
     * Builds the template at {@code args[0]}: runs this jar's changelog with Liquibase on a new
     * file, as opening a new store without the template does, then compacts it and leaves it in
     * WAL mode, every page in the file itself (the last connection's close copies the WAL into the
     * file and deletes it): a copy is complete without a WAL, and opening it needs no change of
     * journal mode, a write with its own syncs under an exclusive lock.
     *
     * @throws IllegalStateException when the WAL is left behind, so the file alone would not be complete
     */
    public static void main(String[] args) throws IOException, SQLException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SqliteTemplate <file to write>");
        }
        Path target = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path building = target.resolveSibling(target.getFileName() + ".building");
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(Path.of(building + suffix));
        }
        SqliteEventStore.open(building, SqliteOptions.DEFAULT, false).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + building);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=DELETE");
            statement.execute("VACUUM");
            statement.execute("PRAGMA journal_mode=WAL");
        }
        for (String suffix : new String[] {"-wal", "-shm"}) {
            if (Files.exists(Path.of(building + suffix))) {
                throw new IllegalStateException(building + suffix + " was left after the last connection closed:"
                        + " the template would not be complete without it");
            }
        }
        Files.move(building, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Creates {@code file} from the template unless it exists.
     *
     * @return what was done
     */
    static Outcome createFrom(Path file) {
        if (Files.exists(file)) {
            return Outcome.NOT_USED;
        }
        byte[] template = template();
        if (template == null) {
            return Outcome.NOT_USED;
        }
        Path dir = file.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = createTemporary(dir, "." + file.getFileName() + ".");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(template);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException raced) {
                // Another process created it first: open its file, checked as any existing file.
                return Outcome.CREATED_BY_ANOTHER;
            } catch (UnsupportedOperationException | IOException noLinks) {
                // No hard links on this file system: not an error. The caller then creates the
                // store by running the changelog, the path a store opened in VALIDATE or LEAVE mode takes.
                return Files.exists(file) ? Outcome.CREATED_BY_ANOTHER : Outcome.NOT_USED;
            }
            return Outcome.CREATED;
        } catch (IOException e) {
            throw new StoreException("cannot create sqlite:" + file + ": " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A stray temporary file next to the store does not harm it.
                }
            }
        }
    }

    /**
     * Creates a new empty file in {@code dir}, readable by its owner only where permissions are
     * POSIX, named {@code prefix} + the clock and a counter + {@code .new}. Not
     * {@code Files.createTempFile}: its random name needs a {@code SecureRandom}, whose first
     * seeding (security providers, the entropy source) costs a fresh JVM more than copying the
     * template. The name need not be unpredictable, only new: the file is created only when no
     * file has the name, and a name taken (by another process, or left by a killed one) is
     * followed by the next.
     */
    private static Path createTemporary(Path dir, String prefix) throws IOException {
        FileAttribute<?>[] ownerOnly = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        String clock = Long.toHexString(System.nanoTime());
        for (int attempt = 0; ; attempt++) {
            Path candidate = dir.resolve(prefix.concat(clock).concat(".")
                    .concat(Long.toString(TEMPORARY_NAMES.incrementAndGet())).concat(".new"));
            try {
                return Files.createFile(candidate, ownerOnly);
            } catch (FileAlreadyExistsException taken) {
                // Taken: the loop tries the counter's next value; a hundred taken names is not chance.
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }

    private static byte[] template() {
        try (InputStream in = SqliteTemplate.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
