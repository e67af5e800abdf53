package dev.eventlog.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * The examples that end every command's {@code --help}, kept in one place so that each stays a
 * line a user can paste. {@code HelpExamplesTest} checks that every command has two or three,
 * parses each, and runs those on local files in a temporary directory (a PostgreSQL example
 * names a server of its own, so it is parsed only).
 */
final class HelpExamples {
    private static final String SECTION = "examples";

    /** The examples of each command, by its qualified name. */
    static final Map<String, List<String>> EXAMPLES = Map.ofEntries(
            Map.entry("eventlog", List.of(
                    "eventlog import --to sqlite:events.db logs/",
                    "eventlog stats sqlite:events.db",
                    "eventlog completion bash > ~/.local/share/bash-completion/completions/eventlog")),
            Map.entry("eventlog import", List.of(
                    "eventlog import --to sqlite:events.db logs/",
                    "eventlog import --to sqlite:events.db --kind tool_use tools-2024.jsonl",
                    "eventlog import --to jsonl:backup/ --json logs/git-activity.jsonl")),
            Map.entry("eventlog copy", List.of(
                    "eventlog copy --from sqlite:events.db --to jsonl:backup/",
                    "eventlog copy --from sqlite:events.db --to sqlite:git.db --kind git --since 2024-01-01")),
            Map.entry("eventlog verify", List.of(
                    "eventlog verify jsonl:backup/ sqlite:events.db",
                    "eventlog verify --kind git --since 2024-01-01 --json sqlite:events.db jsonl:backup/")),
            Map.entry("eventlog reconcile", List.of(
                    "eventlog reconcile --backup jsonl:backup/ --to sqlite:events.db",
                    "eventlog reconcile --backup jsonl:backup/ --to sqlite:events.db --json")),
            Map.entry("eventlog schema", List.of(
                    "eventlog schema status sqlite:events.db",
                    "eventlog schema update sqlite:events.db")),
            Map.entry("eventlog schema status", List.of(
                    "eventlog schema status sqlite:events.db",
                    "eventlog schema status 'jdbc:postgresql://db:5432/ops?currentSchema=events&user=app'")),
            Map.entry("eventlog schema update", List.of(
                    "eventlog schema update sqlite:events.db",
                    "eventlog schema update 'jdbc:postgresql://db:5432/ops?currentSchema=events&user=app'")),
            Map.entry("eventlog schema rollback", List.of(
                    "eventlog schema rollback --count 1 sqlite:events.db",
                    "eventlog schema rollback --count 1 --force sqlite:events.db")),
            Map.entry("eventlog schema lock", List.of(
                    "eventlog schema lock sqlite:events.db",
                    "eventlog schema lock --verbose sqlite:events.db")),
            Map.entry("eventlog schema unlock", List.of(
                    "eventlog schema unlock sqlite:events.db",
                    "eventlog schema unlock 'jdbc:postgresql://db:5432/ops?currentSchema=events&user=app'")),
            Map.entry("eventlog schema partition", List.of(
                    "eventlog schema partition 'jdbc:postgresql://db:5432/ops?currentSchema=events&user=app'",
                    "eventlog schema partition --interval week 'jdbc:postgresql://db:5432/ops?currentSchema=events'")),
            Map.entry("eventlog schema partman", List.of(
                    "eventlog schema partman 'jdbc:postgresql://db:5432/ops?currentSchema=events&user=app'",
                    "eventlog schema partman --verbose 'jdbc:postgresql://db:5432/ops?currentSchema=events'")),
            Map.entry("eventlog maintain", List.of(
                    "eventlog maintain 'jdbc:postgresql://db:5432/ops?currentSchema=events&user=app'",
                    "eventlog maintain --verbose 'jdbc:postgresql://db:5432/ops?currentSchema=events'",
                    "eventlog maintain sqlite:events.db")),
            Map.entry("eventlog retention", List.of(
                    "eventlog retention --older-than 180d --archive jsonl:/backup/archive"
                            + " 'jdbc:postgresql://db:5432/ops?currentSchema=events&user=app'",
                    "eventlog retention --older-than 180d --older-than tool_use=30d --dry-run --archive jsonl:old/"
                            + " sqlite:events.db",
                    "eventlog retention --older-than 180d --archive-file old-events.jsonl.gz sqlite:events.db")),
            Map.entry("eventlog log", List.of(
                    "eventlog log tool_use --tool-name Bash --success yes --duration-ms 120 --store sqlite:events.db",
                    "eventlog log git --event-type commit --repo app --commit-hash abc123 --store sqlite:events.db",
                    "eventlog log deploy --env prod --store sqlite:events.db --backup jsonl:backup/ --print")),
            Map.entry("eventlog stats", List.of(
                    "eventlog stats sqlite:events.db",
                    "eventlog stats --since 2024-01-01 --format json sqlite:events.db")),
            Map.entry("eventlog sessions", List.of(
                    "eventlog sessions sqlite:events.db",
                    "eventlog sessions --all --format json sqlite:events.db")),
            Map.entry("eventlog session", List.of(
                    "eventlog session sqlite:events.db s-0001",
                    "eventlog session --format json sqlite:events.db s-0001")),
            Map.entry("eventlog report", List.of(
                    "eventlog report --out report.html sqlite:events.db",
                    "eventlog report --since 2024-01-01 --out report.html sqlite:events.db")),
            Map.entry("eventlog serve", List.of(
                    "eventlog serve --store sqlite:events.db",
                    "eventlog serve --store sqlite:events.db --print-config")),
            Map.entry("eventlog sink", List.of(
                    "eventlog sink --from kafka://127.0.0.1:9092/events --to sqlite:events.db --until-caught-up",
                    "eventlog sink --from kafka://kafka1:9092,kafka2:9092/events --group to-pg --to "
                            + "'jdbc:postgresql://db:5432/events?currentSchema=eventlog&user=sink&password=secret'")),
            Map.entry("eventlog hook", List.of(
                    "eventlog hook install git",
                    "eventlog hook install git --repo ~/src/app --force")),
            Map.entry("eventlog hook install", List.of(
                    "eventlog hook install git",
                    "eventlog hook install git --repo ~/src/app --force")),
            Map.entry("eventlog completion", List.of(
                    "eventlog completion bash > ~/.local/share/bash-completion/completions/eventlog",
                    "echo 'source <(eventlog completion zsh)' >> ~/.zshrc")),
            Map.entry("eventlog help", List.of(
                    "eventlog help import",
                    "eventlog help schema rollback")));

    private HelpExamples() {
    }

    /**
     * Ends the help of {@code commandLine} and of every subcommand with its examples, in a
     * section of their own that is printed as written: never wrapped, so a long line still pastes.
     */
    static void addTo(CommandLine commandLine) {
        String name = commandLine.getCommandSpec().qualifiedName();
        List<String> examples = EXAMPLES.get(name);
        if (examples == null) {
            throw new IllegalStateException("no help examples for '" + name + "' in HelpExamples");
        }
        StringBuilder section = new StringBuilder(System.lineSeparator()).append("Examples:")
                .append(System.lineSeparator());
        for (String example : examples) {
            section.append("  ").append(example).append(System.lineSeparator());
        }
        commandLine.getHelpSectionMap().put(SECTION, help -> section.toString());
        // A subcommand starts with its parent's section keys: the section is listed once.
        List<String> keys = new ArrayList<>(commandLine.getHelpSectionKeys());
        if (!keys.contains(SECTION)) {
            keys.add(SECTION);
            commandLine.setHelpSectionKeys(keys);
        }
        // The map holds a command once per name and alias: each gets its examples once.
        Set<CommandLine> subcommands = Collections.newSetFromMap(new IdentityHashMap<>());
        subcommands.addAll(commandLine.getSubcommands().values());
        subcommands.forEach(HelpExamples::addTo);
    }
}
