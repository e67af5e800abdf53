package dev.eventlog.jsonl;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.Ids;
import dev.eventlog.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * Reads a JSONL file of one kind line by line in bounded memory, turning each line into an event
 * or a rejection with its reason. Blank lines are skipped. A line without an {@code id} gets one
 * derived from its kind, its bytes and how many identical lines came before it in the file, so
 * that reading the same file twice yields the same ids; the counts of lines seen are kept in
 * memory up to half a million distinct lines and in temporary files past that (deleted by
 * {@link #close()}).
 *
 * <p>{@link #openInput} also reads a gzip file (known by its first two bytes, {@code 1f 8b}; offsets
 * are then in the uncompressed lines), and a file that mixes kinds, each line read as the kind its
 * {@code kind} key names (a name that is no catalogue kind's is a custom kind): the form of
 * {@code eventlog retention --archive-file}. Not thread-safe.
 */
public final class JsonlReader implements AutoCloseable {
    /** Lines longer than this are rejected without being held in memory whole. */
    public static final int DEFAULT_MAX_LINE_BYTES = Json.MAX_LINE_BYTES;

    private final Path file;
    private final InputStream in;
    private final LineDecoder decoder;
    private final KeyAliases aliases;
    private final Map<EventKind, LineDecoder> decoders;
    private final Map<EventKind, byte[]> kindPrefixes;
    private final int maxLineBytes;
    private final long decodeFrom;
    private final byte[] kindPrefix;
    private final MessageDigest digest;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final LongCounts occurrences = new LongCounts();
    private final byte[] buffer = new byte[64 * 1024];
    private int bufferPos;
    private int bufferEnd;
    private byte[] line = new byte[1024];
    private long offset;
    private long lineNumber;

    /**
     * One line read: an event, or the reason it was rejected.
     *
     * @param number the 1-based line number
     * @param startOffset the byte offset where the line starts
     * @param endOffset the byte offset just after its terminator
     * @param event the event, or {@code null} when rejected
     * @param rejection why the line was rejected, or {@code null}
     * @param text the line as text (invalid UTF-8 replaced), for quarantine; {@code null} when accepted
     * @param terminated whether the line ended with a newline (an unterminated last line may be torn)
     * @param kind the kind the line was read as; in a file of mixed kinds, the one its {@code kind} key
     *     names, or {@code null} for a rejected line without a usable one
     */
    public record Line(long number, long startOffset, long endOffset, Event event, String rejection, String text,
            boolean terminated, EventKind kind) {
    }

    private JsonlReader(Path file, LineDecoder decoder, KeyAliases aliases, int maxLineBytes, long decodeFrom,
            boolean gzip) throws IOException {
        this.file = file;
        InputStream raw = Files.newInputStream(file);
        try {
            this.in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
        this.decoder = decoder;
        this.aliases = aliases;
        this.decoders = decoder == null ? new EnumMap<>(EventKind.class) : null;
        this.kindPrefixes = decoder == null ? new EnumMap<>(EventKind.class) : null;
        this.maxLineBytes = maxLineBytes;
        this.decodeFrom = decodeFrom;
        this.kindPrefix = decoder == null ? null : (decoder.kind().key() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Opens {@code file} to read every line as events of {@code decoder}'s kind. */
    public static JsonlReader open(Path file, LineDecoder decoder) throws IOException {
        return new JsonlReader(file, decoder, null, DEFAULT_MAX_LINE_BYTES, 0, false);
    }

    /**
     * Opens {@code file}, skipping the decoding of lines that start before {@code decodeFrom}
     * (they are still counted, so derived ids stay the same as in a full read).
     */
    public static JsonlReader open(Path file, LineDecoder decoder, int maxLineBytes, long decodeFrom)
            throws IOException {
        return new JsonlReader(file, decoder, null, maxLineBytes, decodeFrom, false);
    }

    /**
     * Opens an input file that may be gzip-compressed (known by its first bytes, whatever its name)
     * and may mix kinds.
     *
     * @param decoder reads every line as its kind, or {@code null} to read each line as the kind its
     *     {@code kind} key names (a name that is no catalogue kind's is a custom kind) with {@code aliases}
     * @param decodeFrom lines starting before this offset (of the uncompressed lines) are counted, not decoded
     * @throws IOException when the file cannot be opened, or starts as gzip but is not
     */
    public static JsonlReader openInput(Path file, LineDecoder decoder, KeyAliases aliases, int maxLineBytes,
            long decodeFrom) throws IOException {
        if (decoder == null && aliases == null) {
            throw new IllegalArgumentException("a reader of mixed kinds needs the key aliases");
        }
        return new JsonlReader(file, decoder, aliases, maxLineBytes, decodeFrom, isGzip(file));
    }

    /** Whether {@code file} starts with the gzip magic bytes {@code 1f 8b}. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** The file being read. */
    public Path file() {
        return file;
    }

    /** The kind of the events read, or {@code null} when each line's {@code kind} key says it. */
    public EventKind kind() {
        return decoder == null ? null : decoder.kind();
    }

    /** The byte offset just after the last byte read: after the end of the file once {@link #next()} returned null. */
    public long position() {
        return offset;
    }

    /** The next non-blank line at or after {@code decodeFrom}, or {@code null} at the end of the file. */
    public Line next() throws IOException {
        while (true) {
            long start = offset;
            int length = 0;
            boolean tooLong = false;
            boolean terminated = false;
            boolean any = false;
            while (true) {
                if (bufferPos == bufferEnd && !fill()) {
                    break;
                }
                any = true;
                int newline = indexOf(buffer, bufferPos, bufferEnd, (byte) '\n');
                int end = newline < 0 ? bufferEnd : newline;
                int chunk = end - bufferPos;
                if (!tooLong) {
                    if ((long) length + chunk > maxLineBytes) {
                        tooLong = true;
                    } else {
                        ensureCapacity(length + chunk);
                        System.arraycopy(buffer, bufferPos, line, length, chunk);
                    }
                }
                length += chunk;
                offset += chunk;
                bufferPos = end;
                if (newline >= 0) {
                    bufferPos++;
                    offset++;
                    terminated = true;
                    break;
                }
            }
            if (!any) {
                return null;
            }
            lineNumber++;
            if (tooLong) {
                return rejected(start, "line is longer than " + maxLineBytes + " bytes", "", terminated, kind());
            }
            int contentLength = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            if (isBlank(line, contentLength)) {
                continue;
            }
            if (decoder == null) {
                if (start < decodeFrom) {
                    continue;
                }
                return nextOfItsKind(start, contentLength, terminated);
            }
            digest.update(kindPrefix);
            digest.update(line, 0, contentLength);
            byte[] lineHash = digest.digest();
            long hashKey = ByteBuffer.wrap(lineHash).getLong();
            int occurrence;
            try {
                occurrence = occurrences.getAndIncrement(hashKey);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (start < decodeFrom) {
                continue;
            }
            if (!isAscii(line, contentLength)) {
                try {
                    utf8.decode(ByteBuffer.wrap(line, 0, contentLength));
                } catch (CharacterCodingException e) {
                    String lossy = new String(line, 0, contentLength, StandardCharsets.UTF_8);
                    return rejected(start, "not valid UTF-8", lossy, terminated, kind());
                }
            }
            try {
                Event event = decoder.decode(line, contentLength, millis -> derivedId(millis, lineHash, occurrence));
                return new Line(lineNumber, start, offset, event, null, null, terminated, decoder.kind());
            } catch (RejectedLineException e) {
                String text = new String(line, 0, contentLength, StandardCharsets.UTF_8);
                return rejected(start, e.getMessage(), text, terminated, kind());
            }
        }
    }

    /**
     * Decodes the line in the buffer as the kind its {@code kind} key names. Derived ids are counted
     * per kind, as in that kind's own file; lines before {@code decodeFrom} are not counted.
     */
    private Line nextOfItsKind(long start, int contentLength, boolean terminated) throws IOException {
        String text = new String(line, 0, contentLength, StandardCharsets.UTF_8);
        if (!isAscii(line, contentLength)) {
            try {
                utf8.decode(ByteBuffer.wrap(line, 0, contentLength));
            } catch (CharacterCodingException e) {
                return rejected(start, "not valid UTF-8", text, terminated, null);
            }
        }
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = LineDecoder.parse(text);
        } catch (RejectedLineException e) {
            return rejected(start, e.getMessage(), text, terminated, null);
        }
        com.fasterxml.jackson.databind.JsonNode name = root.get("kind");
        if (name == null || !name.isTextual() || name.textValue().isBlank()) {
            return rejected(start, "no kind: a line of a file that mixes kinds must name its kind in 'kind'", text,
                    terminated, null);
        }
        EventKind kind = EventKind.fromKey(name.textValue())
                .filter(known -> known.key().equals(name.textValue())).orElse(EventKind.CUSTOM);
        LineDecoder ofKind = decoders.computeIfAbsent(kind, k -> new LineDecoder(k, aliases));
        digest.update(kindPrefixes.computeIfAbsent(kind, k -> (k.key() + "\n").getBytes(StandardCharsets.UTF_8)));
        digest.update(line, 0, contentLength);
        byte[] lineHash = digest.digest();
        int occurrence;
        try {
            occurrence = occurrences.getAndIncrement(ByteBuffer.wrap(lineHash).getLong());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try {
            Event event = ofKind.decode(root, millis -> derivedId(millis, lineHash, occurrence));
            return new Line(lineNumber, start, offset, event, null, null, terminated, kind);
        } catch (RejectedLineException e) {
            return rejected(start, e.getMessage(), text, terminated, kind);
        }
    }

    private Line rejected(long start, String reason, String text, boolean terminated, EventKind kind) {
        String why = terminated ? reason : reason + " (unterminated last line: torn by a crash?)";
        return new Line(lineNumber, start, offset, null, why, text, terminated, kind);
    }

    private static UUID derivedId(long millis, byte[] lineHash, int occurrence) {
        byte[] content = Arrays.copyOf(lineHash, lineHash.length + 4);
        ByteBuffer.wrap(content, lineHash.length, 4).putInt(occurrence);
        return Ids.derived(millis, content);
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n <= 0) {
            return false;
        }
        bufferPos = 0;
        bufferEnd = n;
        return true;
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, Math.min(maxLineBytes, line.length * 2)));
        }
    }

    private static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAscii(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            try {
                occurrences.close();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }
}
