package dev.eventlog.spi;

import java.util.regex.Pattern;

/** Removes passwords from store URLs before they are printed. Thread-safe. */
public final class Redaction {
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]*):[^/@]*@");

    private Redaction() {
    }

    /** {@code url} with any {@code password=} parameter and {@code user:password@} part masked. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String masked = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1:***@");
    }
}
