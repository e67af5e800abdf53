package dev.eventlog.migrate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.EventKind;
import dev.eventlog.internal.json.Json;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file rejected lines go to, one JSON object per line: {@code file}, {@code line} (1-based),
 * {@code kind}, {@code reason} and {@code text} (the line as read, invalid UTF-8 replaced by
 * U+FFFD; empty for a line too long to hold). A rejected row of a database table has {@code database},
 * {@code table} and {@code row} (its rowid or primary key) instead of {@code file} and {@code line},
 * and its text is the row as the JSON object it was read as. Created on the first rejection and
 * appended to on later runs. Not thread-safe.
 */
final class Quarantine implements Closeable {
    private final Path file;
    private BufferedWriter out;
    private long count;

    Quarantine(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** How many lines this run quarantined. */
    long count() {
        return count;
    }

    /** Writes one rejected line. */
    void add(Path source, long line, EventKind kind, String reason, String text) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("file", source.toString());
        entry.put("line", line);
        write(entry, kind, reason, text);
    }

    /** Writes one rejected row of a database table; {@code row} names it (rowid or primary key). */
    void addRow(String database, String table, String row, EventKind kind, String reason, String text) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("database", database);
        entry.put("table", table);
        entry.put("row", row);
        write(entry, kind, reason, text);
    }

    private void write(ObjectNode entry, EventKind kind, String reason, String text) {
        // A rejected line of a file that mixes kinds may name no kind.
        entry.put("kind", kind == null ? null : kind.key());
        entry.put("reason", reason);
        entry.put("text", text);
        try {
            if (out == null) {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            out.write(Json.MAPPER.writeValueAsString(entry));
            out.write('\n');
        } catch (IOException e) {
            throw new MigrationException("cannot write the quarantine file " + file + ": " + e, e);
        }
        count++;
    }

    /** Pushes what was written to the operating system, before the progress file says it was done. */
    void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new MigrationException("cannot write the quarantine file " + file + ": " + e, e);
            }
        }
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new MigrationException("cannot write the quarantine file " + file + ": " + e, e);
            }
        }
    }
}
