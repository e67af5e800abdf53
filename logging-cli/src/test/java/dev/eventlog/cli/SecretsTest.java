package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret of a store URL is ever printed: every command, given secret-bearing URLs of every
 * form, on failing, unreachable, unknown-option and usage paths, and with SLF4J at debug level in
 * a real process, keeps every secret out of stdout and stderr.
 */
class SecretsTest {
    /** Every secret below, as written and as a program that decodes the URL would see it. */
    private static final List<String> SECRETS = List.of("S3cr3t;pw", "Pa55%3Bword", "Pa55;word", "Ssl-Secret-1",
            "Pw-Secret-2", "Bob-Secret-3", "Token-Secret-4", "Encoded%40Secret", "Encoded@Secret");

    /** Secret-bearing URLs of each form; port 1 on the loopback interface: nothing listens there. */
    private static final List<String> URLS = List.of(
            "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=S3cr3t;pw",
            "jdbc:postgresql://alice:Pa55%3Bword@127.0.0.1:1/test?currentSchema=events",
            "jdbc:postgresql://127.0.0.1:1/test?user=u&sslpassword=Ssl-Secret-1&password=Pw-Secret-2",
            "jdbc:postgresql://127.0.0.1:1/test?user=u&password=Encoded%40Secret&currentSchema=events",
            "jdbc:postgresql://127.0.0.1:1/test?user=u&access_token=Token-Secret-4",
            "postgresql://bob:Bob-Secret-3@127.0.0.1/db");

    @TempDir
    Path dir;

    private String sqlite;
    private String backup;
    private Path input;

    @BeforeEach
    void makeAStoreABackupAndAnInput() throws Exception {
        sqlite = "sqlite:" + dir.resolve("events.db");
        backup = "jsonl:" + dir.resolve("backup");
        assertThat(Cli.run("log", "activity", "--activity-type", "setup", "--store", sqlite, "--backup", backup)
                .exitCode()).isZero();
        input = Files.writeString(dir.resolve("activity.jsonl"), "{\"ts\": 1, \"activity_type\": \"a\"}\n");
    }

    /** Every command line that names {@code url}, on the failing, usage and unknown-option paths. */
    private List<String[]> everyCommandWith(String url) {
        String report = dir.resolve("report.html").toString();
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"import", "--to", url, input.toString()});
        runs.add(new String[] {"copy", "--from", url, "--to", sqlite});
        runs.add(new String[] {"copy", "--from", sqlite, "--to", url});
        runs.add(new String[] {"verify", url, sqlite});
        runs.add(new String[] {"verify", sqlite, url});
        runs.add(new String[] {"reconcile", "--backup", backup, "--to", url});
        runs.add(new String[] {"reconcile", "--backup", url, "--to", sqlite});
        runs.add(new String[] {"stats", url});
        runs.add(new String[] {"report", url, "--out", report});
        runs.add(new String[] {"schema", "status", url});
        runs.add(new String[] {"schema", "update", url});
        runs.add(new String[] {"schema", "rollback", url});
        runs.add(new String[] {"log", "activity", "--activity-type", "a", "--store", url});
        runs.add(new String[] {"log", "activity", "--activity-type", "a", "--store", url, "--backup", backup});
        runs.add(new String[] {"log", "activity", "--activity-type", "a", "--store", sqlite, "--backup", url});
        runs.add(new String[] {"stats", url, "--bogus-option"});
        runs.add(new String[] {"stats", url, "unmatched-argument"});
        runs.add(new String[] {"stats", "--since", "yesterday", url});
        runs.add(new String[] {"verify", url});
        runs.add(new String[] {"copy", "--from", url});
        runs.add(new String[] {"copy", "--from=" + url, "--to", url, "--kind", "no_such_kind"});
        runs.add(new String[] {url});
        runs.add(new String[] {"schema", url});
        return runs;
    }

    private static void assertNoSecret(Cli.Result result, String command) {
        for (String secret : SECRETS) {
            assertThat(result.out()).as("stdout of %s", command).doesNotContain(secret);
            assertThat(result.err()).as("stderr of %s", command).doesNotContain(secret);
        }
    }

    @Test
    void noCommandPrintsASecretOnAnyFailingPath() {
        int runs = 0;
        int failed = 0;
        for (String url : URLS) {
            for (String[] args : everyCommandWith(url)) {
                Cli.Result result = Cli.run(args);
                String command = String.join(" ", args);
                assertNoSecret(result, command);
                assertThat(result.exitCode()).as(command + "\n" + result.err()).isNotZero();
                assertThat(result.err()).as(command).isNotBlank().doesNotContain("\tat ");
                runs++;
                failed += result.exitCode() == 2 ? 1 : 0;
            }
        }
        System.out.println(runs + " runs with secret-bearing URLs, " + failed + " exited 2, none printed a secret");
        assertThat(failed).isEqualTo(runs);
    }

    @Test
    void theReasonStillNamesTheStoreWithTheSecretMasked() {
        Cli.Result userInfo = Cli.run("stats", URLS.get(1));
        Cli.Result unknownScheme = Cli.run("stats", URLS.get(5));
        Cli.Result ssl = Cli.run("import", "--to", URLS.get(2), input.toString());

        assertThat(userInfo.reason()).contains("127.0.0.1:1").contains("alice");
        assertThat(unknownScheme.reason()).contains("postgresql://bob:***@127.0.0.1/db");
        assertThat(ssl.reason()).contains("127.0.0.1:1");
    }

    @Test
    void helpAndUsageNeverEchoASecretEither() {
        for (String url : URLS) {
            for (String[] args : List.of(new String[] {"--help", url}, new String[] {"stats", "--help", url},
                    new String[] {"help", "stats", url})) {
                assertNoSecret(Cli.run(args), String.join(" ", args));
            }
        }
    }

    @Test
    void aRealProcessWithDebugLoggingPrintsNoSecret() throws Exception {
        List<String> debug = List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
        int runs = 0;
        for (String url : URLS.subList(0, 4)) {
            for (String[] args : List.of(new String[] {"stats", url},
                    new String[] {"import", "--to", url, input.toString()},
                    new String[] {"log", "activity", "--activity-type", "a", "--store", url, "--backup", backup})) {
                Cli.Result result = CliProcess.run(dir, debug, args);
                String command = String.join(" ", args);
                assertNoSecret(result, command);
                assertThat(result.exitCode()).as(command + "\n" + result.err()).isEqualTo(2);
                runs++;
            }
        }
        System.out.println(runs + " child processes at debug level, none printed a secret");
    }

    /** A reachable server: the {@code USER:PASSWORD@} form is accepted, and still never printed. */
    @Nested
    class Reachable {
        @RegisterExtension
        static final TestDatabase POSTGRES = new TestDatabase();

        @Test
        void theUserInfoFormLogsInAndIsNeverPrinted() throws Exception {
            String url = POSTGRES.newSchemaUrl().replace("jdbc:postgresql://", "jdbc:postgresql://postgres:Reach%3BSecret-5@")
                    .replaceAll("([?&])user=postgres&?", "$1");
            List<String> debug = List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");

            Cli.Result logged = CliProcess.run(dir, debug, "log", "activity", "--activity-type", "deploy", "--print",
                    "--store", url);
            Cli.Result stats = CliProcess.run(dir, debug, "stats", "--format", "json", url);
            Cli.Result unknownOption = Cli.run("stats", url, "--bogus");
            // --verbose: HikariCP through SLF4J, Liquibase and the driver through java.util.logging.
            Cli.Result rollback = Cli.run("schema", "rollback", "--count", "1", url);
            Cli.Result verbose = CliProcess.run(dir, List.of(), "--verbose", "schema", "update", url);

            assertThat(logged.exitCode()).as(logged.err()).isZero();
            assertThat(stats.exitCode()).as(stats.err()).isZero();
            assertThat(stats.json().at("/total").asLong()).isEqualTo(1);
            assertThat(unknownOption.exitCode()).isEqualTo(2);
            assertThat(rollback.exitCode()).as(rollback.err()).isZero();
            assertThat(verbose.exitCode()).as(verbose.err()).isZero();
            assertThat(verbose.err()).contains("[INFO] HikariDataSource", "[INFO] liquibase.");
            for (Cli.Result result : List.of(logged, stats, unknownOption, rollback, verbose)) {
                assertThat(result.out() + result.err()).doesNotContain("Reach%3BSecret-5", "Reach;Secret-5");
            }
            System.out.println("logged 1 event and read total " + stats.json().at("/total").asLong()
                    + " through a USER:PASSWORD@ URL");
        }
    }
}
