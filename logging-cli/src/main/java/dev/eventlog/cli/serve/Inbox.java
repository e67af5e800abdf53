package dev.eventlog.cli.serve;

import dev.eventlog.EventKind;
import dev.eventlog.EventLogException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A folder of complete {@code *.jsonl} files, imported exactly once: each file is decoded by the
 * same rules as a request body (content-derived ids), its events committed to the store, and only
 * then the file deleted; a crash between the two imports it again harmlessly. A file with
 * rejected lines goes to {@code rejected/} with a {@code .reason} file beside it (its good lines
 * are stored). Dot-files (a hook's {@code .tmp-} file still being written) and sub-directories are
 * ignored. Used for the inbox (each line names its kind) and the spool (the kind heads the file
 * name). Called from one thread at a time.
 */
public final class Inbox {
    private final Path dir;
    private final boolean kindInName;
    private final Ingest ingest;
    private final EventSink sink;
    private final PrintStream log;
    private volatile long imported;

    /**
     * @param dir the folder
     * @param kindInName whether a file's kind heads its name ({@code KIND--…}, the spool's files)
     * @param log where a moved-aside file or a failing store is reported, one line each
     */
    public Inbox(Path dir, boolean kindInName, Ingest ingest, EventSink sink, PrintStream log) {
        this.dir = dir;
        this.kindInName = kindInName;
        this.ingest = ingest;
        this.sink = sink;
        this.log = log;
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** How many events this inbox has stored since the service started. */
    public long imported() {
        return imported;
    }

    /** The complete files waiting, oldest name first. */
    public List<Path> pending() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jsonl")) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            log.println("eventlog serve: cannot list " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        return files;
    }

    /**
     * Imports every complete file once.
     *
     * @return whether the store took every file (false: the store failed; the files wait for the next pass)
     */
    public boolean drain() {
        for (Path file : pending()) {
            if (!importFile(file)) {
                return false;
            }
        }
        return true;
    }

    private boolean importFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            log.println("eventlog serve: cannot read " + file + ": " + e.getMessage());
            return true;
        }
        EventKind kind = kindInName ? kindOf(file) : null;
        Ingest.Decoded decoded = ingest.decode(bytes, kind);
        try {
            if (!decoded.events().isEmpty()) {
                sink.storeOnly(decoded.events());
                imported += decoded.events().size();
            }
        } catch (EventLogException e) {
            log.println("eventlog serve: " + file.getFileName() + " waits in " + dir + ": the store failed: "
                    + oneLine(e.getMessage()));
            return false;
        }
        try {
            if (decoded.rejected().isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                moveAside(file, decoded);
            }
        } catch (IOException e) {
            // Stored already: the next pass imports it again, which stores nothing twice.
            log.println("eventlog serve: cannot remove " + file + " after storing it: " + e.getMessage());
        }
        return true;
    }

    private void moveAside(Path file, Ingest.Decoded decoded) throws IOException {
        Path rejected = Files.createDirectories(dir.resolve("rejected"));
        String name = file.getFileName().toString();
        String reasons = decoded.rejected().stream()
                .map(r -> "line " + r.line() + ": " + oneLine(r.reason()))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(rejected.resolve(name + ".reason"), reasons, StandardCharsets.UTF_8);
        Files.move(file, rejected.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        log.println("eventlog serve: " + file + " had " + decoded.rejected().size() + " rejected line(s) ("
                + decoded.events().size() + " stored); moved to " + rejected.resolve(name) + ", reasons in "
                + name + ".reason");
    }

    private static EventKind kindOf(Path file) {
        String name = file.getFileName().toString();
        int separator = name.indexOf(EventSink.SPOOL_SEPARATOR);
        return separator <= 0 ? null : EventKind.fromKey(name.substring(0, separator)).orElse(null);
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
