package dev.eventlog.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The legacy sample files kept beside the repository ({@code ../shared/samples}) and their
 * {@code expected.json}, for tests in any module.
 */
public final class LegacySamples {
    private LegacySamples() {
    }

    /** The samples directory, found by walking up from the working directory. */
    public static Path directory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared/samples");
            if (Files.isRegularFile(candidate.resolve("expected.json"))) {
                return candidate;
            }
            candidate = dir.resolveSibling("shared").resolve("samples");
            if (Files.isRegularFile(candidate.resolve("expected.json"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("../shared/samples with expected.json not found above "
                + Path.of("").toAbsolutePath());
    }

    /** {@code expected.json}. */
    public static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(directory().resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event the sample files hold by the import rules, file by file; rejected lines left out. */
    public static List<Event> events() {
        List<Event> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                EventKind kind = EventKind.fromFileName(file.getFileName().toString()).orElseThrow();
                try (JsonlReader reader = JsonlReader.open(file, new LineDecoder(kind, KeyAliases.builtIn()))) {
                    for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                        if (line.event() != null) {
                            events.add(line.event());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
