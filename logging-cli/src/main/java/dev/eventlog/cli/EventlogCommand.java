package dev.eventlog.cli;

import dev.eventlog.EventLogException;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.Redaction;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code eventlog} command's entry point. Every subcommand returns its exit code: 0 success,
 * 1 the data disagrees or lines were rejected, 2 bad usage or an unusable input (a missing file,
 * an unreachable database, a schema newer than this build), the reason on one line of stderr.
 */
@Command(name = "eventlog", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Moves events between JSONL files, SQLite and PostgreSQL, proves nothing was lost, and "
            + "reports what the events say.",
        subcommands = {ImportCommand.class, CopyCommand.class, VerifyCommand.class, ReconcileCommand.class,
            SchemaCommand.class, MaintainCommand.class, RetentionCommand.class, LogCommand.class, StatsCommand.class,
            SessionsCommand.class, SessionCommand.class, ReportCommand.class, ServeCommand.class, SinkCommand.class,
            HookCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Stores: (the forms of the store providers on the class path)",
            "Secrets in store URLs (passwords, tokens) are never printed.",
            "Exit codes: 0 success, 1 the data disagrees or lines were rejected, 2 bad usage or an unusable input."})
public final class EventlogCommand {
    /** The option that shows the libraries' diagnostics; read from the arguments before anything logs. */
    static final String VERBOSE = "--verbose";

    @Option(names = VERBOSE, scope = ScopeType.INHERIT,
            description = "Show the libraries' diagnostics on stderr (Liquibase, HikariCP, the drivers: INFO and up); "
                    + "without it only their warnings and errors.")
    boolean verbose;

    /** Success. */
    static final int OK = 0;
    /** The data disagrees, or lines were rejected. */
    static final int DATA = 1;
    /** Bad usage or an unusable input. */
    static final int UNUSABLE = 2;

    private EventlogCommand() {
    }

    /**
     * Runs the command and exits the JVM with its exit code. Everything the process prints,
     * SLF4J's messages included, goes through the redaction of the arguments' secrets.
     */
    public static void main(String[] args) {
        StepTimes.mark("main");
        Set<String> secrets = RedactingOutput.secretsOf(args);
        System.setOut(RedactingOutput.wrap(System.out, secrets));
        System.setErr(RedactingOutput.wrap(System.err, secrets));
        configureLogging(verbose(args));
        StepTimes.mark("logging");
        int code = run(args, System.out, System.err);
        StepTimes.print(System.err);
        System.exit(code);
    }

    /**
     * Runs the command with {@code args}, writing reports to {@code out} and reasons to
     * {@code err}, and returns the exit code. Does not exit the JVM, so tests can call it. No
     * secret of a store URL in {@code args} is ever written to {@code out} or {@code err}.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Set<String> secrets = RedactingOutput.secretsOf(args);
        PrintStream redactedOut = RedactingOutput.wrap(out, secrets);
        PrintStream redactedErr = RedactingOutput.wrap(err, secrets);
        try {
            return runRedacted(args, redactedOut, redactedErr);
        } finally {
            // Flushed, not closed: in a process they are System.out and System.err, which shutdown hooks may still use.
            redactedOut.flush();
            redactedErr.flush();
        }
    }

    private static int runRedacted(String[] args, PrintStream out, PrintStream err) {
        try {
            // A hook's 'eventlog log' pays a JVM start per event: a plain one is run without picocli.
            LogCommand log = LogCommand.parse(args);
            StepTimes.mark("parse");
            if (log != null) {
                return log.execute(out, err);
            }
            return commandLine(out, err).execute(args);
        } catch (OutOfMemoryError e) {
            // The content check keeps about 50 bytes per event sent; everything else is bounded.
            err.println("eventlog: out of memory (" + e.getMessage() + "): give the JVM more, e.g. "
                    + "EVENTLOG_JAVA_OPTS=-Xmx2g, or run with --no-check and compare with 'eventlog verify' afterwards");
            return UNUSABLE;
        }
    }

    /** The command line of every command, writing to {@code out} and {@code err}, with eventlog's handlers. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(EventlogCommand.class);
        String[] footer = commandLine.getCommandSpec().usageMessage().footer();
        footer[1] = "Stores: " + String.join(", ", EventStores.urlForms());
        commandLine.getCommandSpec().usageMessage().footer(footer);
        CommandLine log = commandLine.getSubcommands().get("log");
        log.setUnmatchedOptionsArePositionalParams(true);
        log.getCommandSpec().usageMessage().footer(LogCommand.footer());
        HelpExamples.addTo(commandLine);
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage())
                    + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return UNUSABLE;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + reason(e));
            return UNUSABLE;
        });
        return commandLine;
    }

    /** The one-line reason for a failure: eventlog's own messages, or the exception and its cause. */
    static String reason(Throwable e) {
        if (e instanceof EventLogException || e instanceof UncheckedIOException) {
            return oneLine(e.getMessage());
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                + e.getMessage();
        return oneLine(message);
    }

    static String oneLine(String message) {
        return message == null ? "" : Redaction.redact(message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    }

    /** Whether {@code args} ask for {@value #VERBOSE} (before a {@code --} that ends the options). */
    static boolean verbose(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets up the one SLF4J provider (slf4j-simple, to stderr) and java.util.logging (Liquibase,
     * the PostgreSQL driver) before anything logs, one line a message in both: warnings and errors
     * only, or with {@code verbose} everything from INFO up, each line naming its logger. Settings given as
     * system properties (or a {@code java.util.logging.config.file} or {@code .class}) win. Neither
     * logging system starts here: each reads these settings when something first logs to it.
     */
    static void configureLogging(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            JulConfiguration.verbose = verbose;
            System.setProperty("java.util.logging.config.class", JulConfiguration.class.getName());
        }
        if (verbose) {
            setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
            setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
            setIfAbsent("java.util.logging.SimpleFormatter.format", "[%4$s] %3$s - %5$s%6$s%n");
        } else {
            setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            setIfAbsent("org.slf4j.simpleLogger.showLogName", "false");
            // sqlite-jdbc logs, with a stack trace, losing a harmless race when processes starting at once
            // clean up each other's extracted native library; the command's own reason line says what matters.
            setIfAbsent("org.slf4j.simpleLogger.log.org.sqlite", "off");
            setIfAbsent("java.util.logging.SimpleFormatter.format", "[%4$s] %5$s%6$s%n");
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
