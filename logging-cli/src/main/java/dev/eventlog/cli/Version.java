package dev.eventlog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code eventlog --version} prints: the build's version and the git commit it was built
 * from, both written into {@code build.properties} by the build. A build made outside a git
 * checkout (a source archive) has no commit and says {@code unknown}.
 */
final class Version implements IVersionProvider {
    static final String UNKNOWN = "unknown";
    private static final String RESOURCE = "build.properties";

    @Override
    public String[] getVersion() {
        return new String[] {line(load())};
    }

    /** {@code eventlog VERSION (commit COMMIT)}, with {@code , modified} when built from uncommitted changes. */
    static String line(Properties build) {
        String version = value(build, "version");
        String commit = value(build, "commit");
        boolean modified = "true".equals(value(build, "dirty")) && !UNKNOWN.equals(commit);
        return "eventlog " + version + " (commit " + commit + (modified ? ", modified" : "") + ")";
    }

    /** A property as the build filled it in, or {@code unknown} when it is missing or was never filled in. */
    private static String value(Properties build, String key) {
        String value = build.getProperty(key, "").strip();
        return value.isEmpty() || value.contains("${") ? UNKNOWN : value;
    }

    private static Properties load() {
        Properties build = new Properties();
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the eventlog jar", e);
        }
        return build;
    }
}
