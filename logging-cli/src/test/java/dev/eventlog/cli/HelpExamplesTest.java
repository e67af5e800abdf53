package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command's {@code --help} ends with examples that parse, and the local ones run. */
class HelpExamplesTest {
    @TempDir
    Path dir;

    /** Every command of the tree, once each, by qualified name. */
    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> all = new LinkedHashMap<>();
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(new CommandLine(EventlogCommand.class), all, seen);
        return all;
    }

    private static void collect(CommandLine command, Map<String, CommandLine> all, Set<CommandLine> seen) {
        if (seen.add(command)) {
            all.put(command.getCommandSpec().qualifiedName(), command);
            command.getSubcommands().values().forEach(sub -> collect(sub, all, seen));
        }
    }

    /** The lines after "Examples:" at the end of {@code help}. */
    private static List<String> examplesOf(String name, String help) {
        List<String> lines = help.strip().lines().toList();
        int heading = lines.indexOf("Examples:");
        assertThat(heading).as("'%s --help' has an Examples: section", name).isNotNegative();
        assertThat(lines.lastIndexOf("Examples:")).as("'%s --help' has one Examples: section", name)
                .isEqualTo(heading);
        return lines.subList(heading + 1, lines.size());
    }

    @Test
    void everyCommandsHelpEndsWithTwoOrThreeExamplesOfItself() {
        Map<String, CommandLine> commands = commands();
        assertThat(commands.keySet()).as("commands with examples").containsExactlyInAnyOrderElementsOf(
                HelpExamples.EXAMPLES.keySet());
        for (String name : commands.keySet()) {
            List<String> args = new ArrayList<>(List.of(name.split(" ")).subList(1, name.split(" ").length));
            args.add("--help");
            Cli.Result help = Cli.run(args.toArray(String[]::new));
            assertThat(help.exitCode()).as("%s --help", name).isZero();
            List<String> examples = examplesOf(name, help.out());
            assertThat(examples).as("the examples ending '%s --help'", name).hasSizeBetween(2, 3)
                    .allSatisfy(line -> assertThat(line).startsWith("  ").contains(name.equals("eventlog")
                            ? "eventlog " : name + " "));
        }
    }

    @Test
    void everyExampleParses() {
        Map<String, CommandLine> commands = commands();
        HelpExamples.EXAMPLES.forEach((name, examples) -> {
            for (String example : examples) {
                List<String> words = eventlogWords(example);
                CommandLine commandLine = new CommandLine(EventlogCommand.class);
                commandLine.getSubcommands().get("log").setUnmatchedOptionsArePositionalParams(true);
                List<CommandLine> parsed = commandLine.parseArgs(words.toArray(String[]::new)).asCommandLineList();
                String command = parsed.get(parsed.size() - 1).getCommandSpec().qualifiedName();
                assertThat(command).as("the command '%s' runs", example).startsWith(name);
                assertThat(commands).containsKey(command);
            }
        });
    }

    @Test
    void theExamplesOnLocalFilesRunAndSucceed() throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path logs = Files.createDirectories(work.resolve("logs"));
        Files.writeString(logs.resolve("git-activity.jsonl"),
                "{\"ts\":\"2024-03-01T10:00:00Z\",\"event_type\":\"commit\",\"repo\":\"app\",\"commit_hash\":\"abc123\"}\n"
                + "{\"ts\":\"2024-03-02T10:00:00Z\",\"event_type\":\"push\",\"repo\":\"app\",\"commits\":2}\n");
        Files.writeString(logs.resolve("tool-usage.jsonl"),
                "{\"ts\":\"2024-03-01T10:01:00Z\",\"session_id\":\"s-0001\",\"tool_name\":\"Bash\",\"success\":true}\n");
        Files.writeString(logs.resolve("session-outcomes.jsonl"),
                "{\"ts\":\"2024-03-01T10:02:00Z\",\"session_id\":\"s-0001\",\"outcome\":\"success\",\"quality\":0.9}\n");
        Files.writeString(work.resolve("tools-2024.jsonl"),
                "{\"ts\":\"2024-04-01T10:00:00Z\",\"session_id\":\"s-0002\",\"tool_name\":\"Read\",\"success\":true}\n");

        // In an order that makes each one's inputs exist (the import makes events.db, the copy the backup).
        List<String> order = List.of("eventlog import", "eventlog", "eventlog log", "eventlog copy", "eventlog verify",
                "eventlog reconcile", "eventlog stats", "eventlog sessions", "eventlog session", "eventlog report",
                "eventlog schema rollback", "eventlog schema update", "eventlog schema", "eventlog schema status",
                "eventlog schema lock", "eventlog schema unlock", "eventlog schema partition", "eventlog schema partman", "eventlog maintain",
                "eventlog serve", "eventlog sink", "eventlog retention", "eventlog completion", "eventlog help");
        assertThat(order).as("every command with examples is in the run order")
                .containsAll(HelpExamples.EXAMPLES.keySet().stream().filter(n -> !n.startsWith("eventlog hook")).toList());
        int ran = 0;
        for (String name : order) {
            for (String example : HelpExamples.EXAMPLES.get(name)) {
                if (!local(example)) {
                    continue;
                }
                List<String> words = eventlogWords(example);
                Cli.Result result = CliProcess.startIn(work, dir, List.of(), words.toArray(String[]::new)).await();
                assertThat(result.exitCode()).as("'%s' exited %d: %s", example, result.exitCode(), result.err())
                        .isZero();
                ran++;
            }
        }
        assertThat(ran).as("examples run").isGreaterThanOrEqualTo(30);
        assertThat(work.resolve("events.db")).isRegularFile();
        assertThat(work.resolve("report.html")).isRegularFile();
    }

    /**
     * Whether the example runs on local files alone and ends: not a PostgreSQL server, not the
     * service (which runs until stopped), not a Kafka broker, not a hook into a repository, not a
     * shell redirection.
     */
    private static boolean local(String example) {
        return !example.contains("jdbc:postgresql") && !example.contains("kafka://") && !example.contains("~")
                && !example.startsWith("echo ")
                && !example.startsWith("eventlog hook") && !(example.startsWith("eventlog serve")
                && !example.contains("--print-config"));
    }

    /**
     * The arguments {@code eventlog} gets from the example's first {@code eventlog …} command,
     * as a shell splits it (single quotes; up to a redirection).
     */
    private static List<String> eventlogWords(String example) {
        int start = example.indexOf("eventlog ");
        assertThat(start).as("'%s' runs eventlog", example).isNotNegative();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : example.substring(start + "eventlog ".length()).toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                inWord = true;
            } else if (!quoted && (c == '>' || c == ')' || c == '|')) {
                break;
            } else if (!quoted && c == ' ') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
