package dev.eventlog;

import java.util.List;

/**
 * A configuration was rejected when it was built. Every problem is reported at once, one per
 * line, each as {@code setting was 'value' but it must …}.
 */
public class ConfigurationException extends EventLogException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    /** Creates an exception that lists every problem found. */
    public ConfigurationException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Creates an exception for a single problem. */
    public ConfigurationException(String problem) {
        this(List.of(problem));
    }

    /** Each problem found, as a sentence naming the setting and its value. */
    public List<String> problems() {
        return problems;
    }
}
