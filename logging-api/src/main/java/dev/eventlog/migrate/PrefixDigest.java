package dev.eventlog.migrate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A running SHA-256 over the first bytes of one file, advanced as the import reads further, so that
 * the progress file can say exactly which bytes were read and a later run can tell an edit anywhere
 * in them (a same-length fix of a rejected line included). Not thread-safe.
 */
final class PrefixDigest {
    private static final int CHUNK = 1 << 16;

    private final Path file;
    private final MessageDigest sha256;
    private long position;

    PrefixDigest(Path file) {
        this.file = file;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** How many bytes of the file the digest covers. */
    long position() {
        return position;
    }

    /**
     * Takes the file's bytes from {@link #position()} up to {@code size} into the digest.
     *
     * @return false when the file ended before {@code size} (it shrank)
     */
    boolean advanceTo(long size) {
        if (size <= position) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, size - position));
            while (position < size) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), size - position));
                int read = channel.read(buffer, position);
                if (read < 0) {
                    return false;
                }
                buffer.flip();
                sha256.update(buffer);
                position += read;
            }
            return true;
        } catch (IOException e) {
            throw new MigrationException("cannot read " + file + ": " + e, e);
        }
    }

    /** The hex SHA-256 of the bytes taken so far; the digest can go on afterwards. */
    String hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests can be cloned on every Java platform", e);
        }
    }
}
