package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eventlog sink}'s usage errors: one line, exit 2, nothing created. Its copying is tested
 * on a real broker in the logging-kafka module ({@code KafkaSinkTest}, {@code KafkaSinkKillTest}).
 */
class SinkCommandTest {
    @TempDir
    Path dir;

    @Test
    void aFromThatIsNotAKafkaUrlIsOneLineAndCreatesNoStore() {
        Path db = dir.resolve("events.db");

        Cli.Result result = Cli.run("sink", "--from", "kafka://127.0.0.1:9092", "--to", "sqlite:" + db);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).isEqualTo("eventlog sink: store URL was 'kafka://127.0.0.1:9092' but it must be "
                + "kafka://HOST:PORT/TOPIC (the topic of letters, digits, '.', '_' and '-')");
        assertThat(Files.exists(db)).isFalse();
    }

    @Test
    void aParameterThatIsNeitherAnOptionNorAClientPropertyIsNamed() {
        Cli.Result result = Cli.run("sink", "--from", "kafka://127.0.0.1:9092/events?password=hunter2&x=1",
                "--to", "sqlite:" + dir.resolve("events.db"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("has the parameter 'password'").doesNotContain("hunter2");
    }

    @Test
    void aMaxBackoffBelowOneSecondIsRefused() {
        Cli.Result result = Cli.run("sink", "--from", "kafka://127.0.0.1:9092/events", "--to",
                "sqlite:" + dir.resolve("events.db"), "--max-backoff", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).isEqualTo("eventlog sink: --max-backoff was '0' but it must be at least 1 second");
    }
}
