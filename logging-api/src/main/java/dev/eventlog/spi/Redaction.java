package dev.eventlog.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from store URLs, and from any text that may hold one, before it is printed.
 * The generic forms: the password of a {@code //user:password@host} part, and the value of every
 * parameter whose name holds {@code password}, {@code passwd}, {@code pwd}, {@code secret},
 * {@code token} or names an API or private key ({@code password=}, {@code sslpassword=}, {@code access_token=},
 * {@code client-secret=}, …) up to the next {@code &}, blank or quote, so that a value holding
 * {@code ;} or URL-encoded characters is masked whole. Thread-safe.
 */
public final class Redaction {
    /** What a secret is replaced with. */
    public static final String MASK = "***";

    private static final String SECRET_NAME = "[A-Za-z0-9_.-]*(?i:password|passwd|pwd|secret|token|apikey|api_key"
            + "|sslkey|private_key)[A-Za-z0-9_.-]*";
    // A parameter needs '=' and a user part '@': text with neither has no secret of the generic forms, and
    // the patterns are compiled at the first text that has one (a command line without a URL never does).
    private static final class Patterns {
        static final Pattern SECRET_PARAM = Pattern.compile("(?<![A-Za-z0-9_.-])(" + SECRET_NAME + ")=([^&\\s'\"]*)");
        static final Pattern USER_INFO = Pattern.compile("(//[^/\\s:@'\"?#]*):([^\\s'\"/?#]*?)@(?=[^@\\s'\"]*(?:[/?\\s'\"]|$))");
    }

    private Redaction() {
    }

    /**
     * {@code text} with every secret of the generic forms masked: {@code user:***@host}, and
     * {@code password=***} for every secret-named parameter. {@code null} stays {@code null}.
     */
    public static String redact(String text) {
        if (text == null || !mayHoldSecret(text)) {
            return text;
        }
        Matcher params = Patterns.SECRET_PARAM.matcher(text);
        String masked = params.replaceAll(match -> Matcher.quoteReplacement(
                match.group(2).isEmpty() ? match.group() : match.group(1) + "=" + MASK));
        return Patterns.USER_INFO.matcher(masked).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + ":" + MASK + "@"));
    }

    /**
     * The secrets in {@code text} by the generic forms, each as written and URL-decoded: what a
     * program that echoes {@code text} in any shape must never print. Empty when there are none.
     */
    public static Set<String> secrets(String text) {
        Set<String> found = new LinkedHashSet<>();
        if (text == null || !mayHoldSecret(text)) {
            return found;
        }
        Matcher params = Patterns.SECRET_PARAM.matcher(text);
        while (params.find()) {
            add(found, params.group(2));
        }
        Matcher userInfo = Patterns.USER_INFO.matcher(text);
        while (userInfo.find()) {
            add(found, userInfo.group(2));
        }
        return found;
    }

    private static boolean mayHoldSecret(String text) {
        return text.indexOf('=') >= 0 || text.indexOf('@') >= 0;
    }

    private static void add(Set<String> found, String secret) {
        if (secret.isEmpty() || secret.equals(MASK)) {
            return;
        }
        found.add(secret);
        try {
            found.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notEncoded) {
            // A value with a stray '%' is not URL-encoded: it is printed, and masked, as written.
        }
    }
}
