package dev.eventlog.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * The java.util.logging configuration of the {@code eventlog} process (Liquibase and the PostgreSQL
 * driver log there), named by the system property {@code java.util.logging.config.class}, so that
 * {@link LogManager} reads it when something first logs instead of at every start: a hook's {@code
 * eventlog log} into SQLite never uses java.util.logging, and setting it up (the log manager, its
 * properties file, the look-up of a logger finder across the whole class path) was about a tenth of
 * that command. The JDK's default handler (the console, stderr) with the levels {@link
 * EventlogCommand#configureLogging(boolean)} chose: warnings and up, or with {@code --verbose} INFO
 * and up. Public for the log manager, which makes it by reflection; not for other use.
 */
public final class JulConfiguration {
    /** Whether the command line asked for {@code --verbose}; set before anything logs. */
    static volatile boolean verbose;

    /**
     * Reads the configuration into the log manager, as the log manager asks of the class it is given.
     *
     * @throws IOException never: the configuration is read from memory
     */
    public JulConfiguration() throws IOException {
        String level = verbose ? "INFO" : "WARNING";
        String properties = "handlers=java.util.logging.ConsoleHandler\n"
                + "java.util.logging.ConsoleHandler.level=INFO\n"
                + "java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter\n"
                + ".level=" + level + "\n"
                + (verbose ? "liquibase.level=INFO\n" : "");
        LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(properties.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
