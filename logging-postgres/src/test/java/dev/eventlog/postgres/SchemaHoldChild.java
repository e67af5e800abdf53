package dev.eventlog.postgres;

import dev.eventlog.jdbc.SchemaMigrator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link PostgresSchemaTrustTest} runs in a child JVM and kills: it opens a store on
 * a new schema with the schema change test hook set, so it sleeps inside the change holding the
 * locks, until killed.
 */
public final class SchemaHoldChild {
    private SchemaHoldChild() {
    }

    public static void main(String[] args) {
        System.setProperty(SchemaMigrator.HOLD_PROPERTY, "600000");
        PostgresEventStore.open(args[0]).close();
    }

    /** Starts the child on {@code url}, waits until it holds the lock, and kills it with SIGKILL. */
    static void startHoldAndKill(String url, Path stderr) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), SchemaHoldChild.class.getName(), url))
                .redirectError(stderr.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); ; line = out.readLine()) {
                if (line == null) {
                    throw new AssertionError("the child exited before holding the lock; stderr in " + stderr);
                }
                if (line.equals(SchemaMigrator.HOLDING)) {
                    break;
                }
            }
            process.destroyForcibly();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the child did not die");
            }
        }
    }
}
