package dev.eventlog.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogException;
import dev.eventlog.Ids;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.LineEncoder;
import dev.eventlog.jsonl.RejectedLineException;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eventlog log}: one event from a shell script or hook. A plain command line is read by
 * {@link #parse(String[])} and run without picocli (a hook pays a JVM start per event, and building
 * picocli's model of every command was most of it); anything else goes through picocli as usual.
 */
@Command(name = "log", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Logs one event, e.g. from a git hook:",
            "  eventlog log git --event-type commit --repo app --commit-hash abc123 --store sqlite:events.db",
            "Every --FIELD VALUE pair sets a typed field of the kind (dashes or underscores, the built-in aliases "
                + "work too) or, for any other name, an attribute. Values are read by the import rules: numbers "
                + "and booleans (true/false, 1/0, yes/no) from their text. Repeat a list field "
                + "(--file-paths a --file-paths b) or give it a JSON array. A KIND outside the catalogue logs a "
                + "custom event of that name."})
final class LogCommand implements Callable<Integer> {
    /** The command's name in messages, as picocli qualifies it. */
    static final String NAME = "eventlog log";

    /** The options that take a value; their names are the only ones {@link #parse(String[])} reads. */
    private static final Set<String> VALUED = Set.of("--store", "--backup", "--ts", "--session-id", "--source");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "The event kind, e.g. git, tool_use, or any name.")
    String kindName;

    @Parameters(index = "1..*", paramLabel = "--FIELD VALUE", description = "Fields and attributes of the event.")
    List<String> fields = new ArrayList<>();

    @Option(names = "--store", required = true, paramLabel = "STORE", description = "The store to write to.")
    String store;

    @Option(names = "--backup", paramLabel = "jsonl:DIR",
            description = "Also write the event to this JSONL directory, first, so that it survives the store "
                    + "being down.")
    String backup;

    @Option(names = "--ts", paramLabel = "TIME",
            description = "When it happened: epoch seconds, epoch milliseconds or ISO-8601 (default: now).")
    String ts;

    @Option(names = "--session-id", paramLabel = "ID", description = "The session the event belongs to.")
    String sessionId;

    @Option(names = "--source", paramLabel = "NAME", description = "The host or application that produced it.")
    String source;

    @Option(names = "--print", description = "Print the stored event as a JSONL line.")
    boolean print;

    /** The help footer: every kind with its typed fields as options, and the exit codes. */
    static String[] footer() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Kinds and their typed fields:");
        for (EventKind kind : EventKind.values()) {
            List<String> names = new ArrayList<>();
            for (EventField field : kind.fields()) {
                names.add("--" + field.name().replace('_', '-'));
            }
            lines.add(String.format(Locale.ROOT, "  %-18s %s", kind.key(), String.join(" ", names)));
        }
        lines.add("");
        lines.add("Exit codes: 0 stored, 1 stored but the backup failed, 2 bad usage or the store is unreachable "
                + "(with --backup the event is then kept in the backup for 'eventlog reconcile').");
        return lines.toArray(String[]::new);
    }

    /**
     * The command {@code args} describe when they are a plain {@code eventlog [--verbose] log KIND ...}
     * command line, read as picocli reads it (options anywhere, every other argument a positional
     * one); {@code null} when anything needs picocli's own reading or messages: help, version, an
     * argument file, {@code --}, a short option, an option given twice or without its value, a
     * {@code --print=...}, or a missing KIND or {@code --store}.
     */
    static LogCommand parse(String[] args) {
        int i = 0;
        while (i < args.length && args[i].equals(EventlogCommand.VERBOSE)) {
            i++;
        }
        if (i >= args.length || !args[i].equals("log")) {
            return null;
        }
        LogCommand command = new LogCommand();
        List<String> positional = new ArrayList<>();
        for (i++; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@") || arg.equals("--")
                    || arg.startsWith("-") && !arg.startsWith("--") && (arg.indexOf('h') >= 0 || arg.indexOf('V') >= 0)) {
                return null;
            }
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (name.equals("--help") || name.equals("--version") || name.equals(EventlogCommand.VERBOSE) && equals > 0
                    || name.equals("--print") && (equals > 0 || command.print)) {
                return null;
            }
            if (name.equals("--print")) {
                command.print = true;
            } else if (arg.equals(EventlogCommand.VERBOSE)) {
                continue;
            } else if (VALUED.contains(name)) {
                String value;
                if (equals > 0 && name.length() == equals) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    return null;
                }
                if (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || !command.set(name, value)) {
                    return null;
                }
            } else {
                positional.add(arg);
            }
        }
        if (positional.isEmpty() || command.store == null) {
            return null;
        }
        command.kindName = positional.get(0);
        command.fields.addAll(positional.subList(1, positional.size()));
        return command;
    }

    /** Sets the option {@code name}; {@code false} when it was set already (picocli refuses that). */
    private boolean set(String name, String value) {
        String before = switch (name) {
            case "--store" -> store;
            case "--backup" -> backup;
            case "--ts" -> ts;
            case "--session-id" -> sessionId;
            default -> source;
        };
        if (before != null) {
            return false;
        }
        switch (name) {
            case "--store" -> store = value;
            case "--backup" -> backup = value;
            case "--ts" -> ts = value;
            case "--session-id" -> sessionId = value;
            default -> source = value;
        }
        return true;
    }

    /**
     * Runs a command {@link #parse(String[]) read without picocli} as picocli would: the event
     * printed to {@code out}, a failure as one line on {@code err}; returns the exit code.
     */
    int execute(PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        try {
            return log(outWriter, errWriter);
        } catch (RuntimeException e) {
            errWriter.println(NAME + ": " + EventlogCommand.reason(e));
            return EventlogCommand.UNUSABLE;
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    @Override
    public Integer call() {
        return log(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private int log(PrintWriter out, PrintWriter err) {
        // Checked before anything is written: a backup that is not jsonl:DIR is a usage error.
        Path backupDirectory = backup == null ? null : Stores.jsonlDirectory("--backup", backup);
        Event event = event();
        StepTimes.mark("event");
        boolean backedUp = false;
        String backupFailure = null;
        if (backupDirectory != null) {
            try (JsonlEventStore jsonl = JsonlEventStore.open(backupDirectory)) {
                jsonl.append(List.of(event));
                backedUp = true;
            } catch (EventLogException e) {
                backupFailure = EventlogCommand.reason(e);
            }
        }
        int stored;
        try (EventStore target = Stores.openToWrite(store)) {
            StepTimes.mark("open");
            stored = target.append(List.of(event));
            StepTimes.mark("append");
        } catch (EventLogException e) {
            if (!backedUp) {
                throw e;
            }
            err.println(NAME + ": " + EventlogCommand.reason(e)
                    + "; the event is kept in " + backup + ": run 'eventlog reconcile --backup " + backup
                    + " --to STORE' once the store is back");
            return EventlogCommand.UNUSABLE;
        }
        StepTimes.mark("close");
        if (stored == 0) {
            // The id was given and is stored already: nothing was written, so nothing is printed as if it were.
            err.println(NAME + ": event " + event.envelope().id()
                    + " already stored in " + EventStores.redact(store) + "; nothing written");
        } else if (print) {
            LineEncoder encoder = new LineEncoder();
            encoder.encode(event);
            out.print(new String(encoder.drain(), StandardCharsets.UTF_8));
            out.flush();
        }
        if (backupFailure != null) {
            err.println(NAME + ": stored, but the backup failed: "
                    + backupFailure);
            return EventlogCommand.DATA;
        }
        return EventlogCommand.OK;
    }

    /** The event the arguments describe, read by the same rules as an imported line. */
    private Event event() {
        if (kindName.isBlank() || kindName.startsWith("-")) {
            throw new ConfigurationException("KIND was '" + kindName + "' but it must be a kind (git, tool_use, ...) "
                    + "or the name of a custom event, before the fields");
        }
        EventKind kind = EventKind.fromKey(kindName).orElse(EventKind.CUSTOM);
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        if (kind == EventKind.CUSTOM && !kindName.equalsIgnoreCase(EventKind.CUSTOM.key())) {
            line.put("kind", kindName);
        }
        for (int i = 0; i < fields.size(); i++) {
            String arg = fields.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigurationException("argument was '" + arg + "' but it must be --FIELD followed by "
                        + "its value");
            }
            String name;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(2, equals);
                value = arg.substring(equals + 1);
            } else {
                if (i + 1 >= fields.size()) {
                    throw new ConfigurationException(arg + " was given no value but it must be followed by one");
                }
                name = arg.substring(2);
                value = fields.get(++i);
            }
            put(line, kind, name.replace('-', '_'), value);
        }
        if (kind == EventKind.CUSTOM && line.hasNonNull("kind") && line.get("kind").asText().isBlank()) {
            throw new ConfigurationException("--kind was '" + line.get("kind").asText() + "' but a custom event "
                    + "needs its name: 'eventlog log deploy ...' or 'eventlog log custom --kind deploy ...'");
        }
        if (kind == EventKind.CUSTOM && !line.hasNonNull("kind")) {
            throw new ConfigurationException("KIND was 'custom' but a custom event needs its name: "
                    + "'eventlog log deploy ...' or 'eventlog log custom --kind deploy ...'");
        }
        if (ts != null) {
            line.put("ts", ts);
        } else {
            line.put("ts", System.currentTimeMillis());
        }
        if (sessionId != null) {
            line.put("session_id", sessionId);
        }
        if (source != null) {
            line.put("source", source);
        }
        try {
            LineDecoder decoder = new LineDecoder(kind, KeyAliases.builtIn());
            // The tree as it is, unless a list came as a JSON array: its numbers are then read again as a
            // line's are (decimals exact), from the text. Writing and reading the text costs two Jackson mappers.
            return hasJsonArray(line) ? decoder.decode(line.toString(), Ids::next) : decoder.decode(line, Ids::next);
        } catch (RejectedLineException e) {
            throw new ConfigurationException("the event was not valid: " + e.getMessage());
        }
    }

    /** Whether a list field of {@code line} holds anything but text, which only a JSON array value gives. */
    private static boolean hasJsonArray(ObjectNode line) {
        for (JsonNode value : line) {
            if (value.isArray()) {
                for (JsonNode item : value) {
                    if (!item.isTextual()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void put(ObjectNode line, EventKind kind, String name, String value) {
        int index = kind.indexOf(name);
        if (index >= 0 && kind.fields().get(index).type() == EventField.Type.TEXT_LIST) {
            ArrayNode list = line.has(name) && line.get(name).isArray() ? (ArrayNode) line.get(name)
                    : line.putArray(name);
            JsonNode parsed = value.strip().startsWith("[") ? parseArray(name, value) : null;
            if (parsed != null) {
                parsed.forEach(list::add);
            } else {
                list.add(value);
            }
        } else if (line.has(name)) {
            throw new ConfigurationException("--" + name + " was given twice but it takes one value");
        } else {
            line.put(name, value);
        }
    }

    private static JsonNode parseArray(String name, String value) {
        try {
            return ArrayReader.JSON.readTree(value);
        } catch (JacksonException e) {
            throw new ConfigurationException("--" + name + " was '" + value + "' but it must be a JSON array or "
                    + "one item per --" + name);
        }
    }

    /** The mapper of a list field given as a JSON array, made only when one is. */
    private static final class ArrayReader {
        static final ObjectMapper JSON = new ObjectMapper();
    }
}
