package dev.eventlog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Runs the eventlog command in this JVM and keeps what it printed. */
final class Cli {
    private Cli() {
    }

    /**
     * What one run of the command did.
     *
     * @param exitCode the exit code
     * @param out what went to stdout
     * @param err what went to stderr
     */
    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout is not JSON: " + out, e);
            }
        }

        /** The reason printed on stderr, which must be exactly one line. */
        String reason() {
            String[] lines = err.strip().split("\n");
            if (lines.length != 1 || lines[0].isBlank()) {
                throw new AssertionError("expected a one-line reason on stderr but got: " + err);
            }
            return lines[0];
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = EventlogCommand.run(args, outStream, errStream);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
