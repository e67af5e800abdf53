package dev.eventlog.migrate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Where an import keeps its progress and quarantine files unless told: one directory per set of
 * inputs and target, under the user's state directory, never beside the inputs. Thread-safe (no state).
 */
final class StateDirectory {
    private StateDirectory() {
    }

    /**
     * {@code $XDG_STATE_HOME/eventlog/import/<name>-<hash>} (or {@code ~/.local/state/…} when
     * {@code XDG_STATE_HOME} is unset or relative), where {@code name} is the first input's name and
     * {@code hash} the start of a SHA-256 over the canonical inputs and the target.
     */
    static Path forImport(List<Path> inputs, String target, Map<String, String> environment) {
        StringBuilder identity = new StringBuilder();
        inputs.forEach(input -> identity.append(OutputPaths.canonical(input)).append('\n'));
        identity.append(target);
        String name = inputs.isEmpty() || inputs.get(0).toAbsolutePath().normalize().getFileName() == null ? "input"
                : inputs.get(0).toAbsolutePath().normalize().getFileName().toString();
        return forImport(name, identity.toString(), environment);
    }

    /**
     * The same directory for a source that is not a file, such as a database: {@code name} is its
     * short name and {@code identity} everything that tells this source and target from others.
     */
    static Path forImport(String name, String identity, Map<String, String> environment) {
        name = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.length() > 40) {
            name = name.substring(0, 40);
        }
        return home(environment).resolve("eventlog").resolve("import").resolve(name + "-" + sha256(identity));
    }

    /** The user's state directory by the XDG base directory rules. */
    static Path home(Map<String, String> environment) {
        String xdg = environment.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        return Path.of(System.getProperty("user.home"), ".local", "state");
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
