package dev.eventlog.cli;

import dev.eventlog.spi.Redaction;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one place every byte the command prints goes through: stdout, stderr (and so SLF4J's
 * messages, picocli's usage errors, exceptions' reasons). It masks the secrets of every URL on
 * the command line, as written and URL-decoded, wherever they appear, and the generic forms of
 * {@link Redaction} in any text. Text is held until a line ends or the stream is flushed, so a
 * secret is masked whole. Thread-safe.
 */
final class RedactingOutput extends OutputStream {
    /** Shorter secrets are masked only in their URL forms: masking every "ab" would garble the output. */
    static final int MIN_LITERAL_LENGTH = 3;

    private final PrintStream target;
    private final List<String> secrets;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private RedactingOutput(PrintStream target, Set<String> secrets) {
        this.target = target;
        List<String> longestFirst = new ArrayList<>();
        for (String secret : secrets) {
            if (secret.length() >= MIN_LITERAL_LENGTH) {
                longestFirst.add(secret);
            }
        }
        // Not Comparator.comparingInt(...).reversed(): its lambda is made at run time on every start.
        longestFirst.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.secrets = List.copyOf(longestFirst);
    }

    /** The secrets of every argument, by the forms of {@link Redaction#secrets(String)}. */
    static Set<String> secretsOf(String... args) {
        Set<String> secrets = new LinkedHashSet<>();
        for (String arg : args) {
            secrets.addAll(Redaction.secrets(arg));
        }
        return secrets;
    }

    /** {@code target} behind a redacting stream, unless it already is one. */
    static PrintStream wrap(PrintStream target, Set<String> secrets) {
        if (target instanceof Wrapped) {
            return target;
        }
        return new Wrapped(new RedactingOutput(target, secrets));
    }

    /** {@code text} with the secrets and the generic forms masked. */
    String redact(String text) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, Redaction.MASK);
        }
        return Redaction.redact(masked);
    }

    @Override
    public synchronized void write(int b) {
        pending.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                pending.write(bytes, start, i + 1 - start);
                start = i + 1;
                emit();
            }
        }
        pending.write(bytes, start, offset + length - start);
    }

    @Override
    public synchronized void flush() {
        emit();
        target.flush();
    }

    @Override
    public synchronized void close() {
        flush();
    }

    private void emit() {
        if (pending.size() == 0) {
            return;
        }
        String text = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        target.print(redact(text));
        target.flush();
    }

    /** The print stream over a {@link RedactingOutput}, so that it is wrapped only once. */
    private static final class Wrapped extends PrintStream {
        Wrapped(RedactingOutput output) {
            super(output, true, StandardCharsets.UTF_8);
        }
    }
}
