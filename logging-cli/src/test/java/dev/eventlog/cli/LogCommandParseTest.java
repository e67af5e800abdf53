package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@link LogCommand#parse(String[])}, the reading of {@code eventlog log} without picocli: every
 * command line it reads, it reads as picocli does, and it leaves to picocli every one it cannot.
 */
class LogCommandParseTest {
    private static final String STORE = "sqlite:/tmp/events.db";

    /** Command lines the hooks use: read without picocli. */
    private static final List<String[]> PLAIN = List.of(
            args("log", "tool_use", "--tool-name", "Bash", "--success", "true", "--store", STORE),
            args("log", "git", "--event-type", "commit", "--repo", "app", "--commit_hash", "abc123",
                    "--message=-fix: a leading dash", "--files-changed", "3", "--ts", "2026-01-28T06:00:00Z",
                    "--session-id", "s-1", "--store", STORE),
            args("--verbose", "log", "deploy", "--env", "prod", "--store=" + STORE, "--print"),
            args("log", "--store", STORE, "--print", "tool_use", "--verbose", "--exit-code", "-1"),
            args("log", "tool_use", "--file-paths", "[\"a\",\"b\"]", "--backup", "jsonl:/tmp/b", "--source", "host",
                    "--store", STORE, "--id", "0190d5c2-0000-7000-8000-000000000001"),
            args("log", "", "--store", STORE),
            args("log", "-x", "--store", STORE),
            args("log", "tool_use", "--tool-name=", "--store", STORE));

    /** Command lines picocli must read: help, version, errors, argument files, forms this reader does not know. */
    private static final List<String[]> LEFT_TO_PICOCLI = List.of(
            args("log", "tool_use", "--help", "--store", STORE),
            args("log", "-h"),
            args("log", "tool_use", "-V", "--store", STORE),
            args("log", "tool_use", "--version"),
            args("log", "tool_use", "--tool-name", "Bash"),
            args("log", "--store", STORE),
            args("log", "tool_use", "--store"),
            args("log", "tool_use", "--store", STORE, "--store", STORE),
            args("log", "tool_use", "--store", "--print"),
            args("log", "tool_use", "--store="),
            args("log", "tool_use", "--store", STORE, "--print", "--print"),
            args("log", "tool_use", "--store", STORE, "--print=true"),
            args("log", "tool_use", "--store", STORE, "--verbose=true"),
            args("log", "--", "tool_use", "--store", STORE),
            args("log", "@args.txt"),
            args("log", "tool_use", "--ts", "-5", "--store", STORE),
            args("--help", "log"),
            args("import", "--to", STORE, "a.jsonl"),
            args());

    private static String[] args(String... args) {
        return args;
    }

    @Test
    void readsPlainCommandLinesAsPicocliDoes() {
        for (String[] args : PLAIN) {
            LogCommand quick = LogCommand.parse(args);
            assertThat(quick).as(Arrays.toString(args)).isNotNull();
            LogCommand picocli = picocli(args);
            assertThat(fieldsOf(quick)).as(Arrays.toString(args)).isEqualTo(fieldsOf(picocli));
        }
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (String[] args : LEFT_TO_PICOCLI) {
            assertThat(LogCommand.parse(args)).as(Arrays.toString(args)).isNull();
        }
    }

    private static LogCommand picocli(String[] args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true);
        CommandLine commandLine = EventlogCommand.commandLine(sink, sink);
        ParseResult result = commandLine.parseArgs(args);
        return (LogCommand) result.subcommand().commandSpec().userObject();
    }

    private static List<Object> fieldsOf(LogCommand command) {
        return Arrays.asList(command.kindName, command.fields, command.store, command.backup, command.ts,
                command.sessionId, command.source, command.print);
    }
}
