package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HelpTest {

    @Test
    void everyCommandDocumentsItsOptionsAndExitCodes() {
        assertThat(Cli.run("--help").out()).contains("import", "copy", "verify", "reconcile", "schema", "log", "stats", "report",
                "Exit codes");
        assertThat(Cli.run("import", "--help").out()).contains("--to=STORE", "--kind=KIND", "--quarantine=FILE",
                "--map=FILE", "--json", "--batch-size=N", "--no-check", "FILE_OR_DIR", "Exit codes");
        assertThat(Cli.run("copy", "--help").out()).contains("--from=STORE", "--to=STORE", "--since=TIME",
                "--until=TIME", "--kind=KIND");
        assertThat(Cli.run("verify", "--help").out()).contains("SOURCE", "TARGET", "Exit codes: 0 identical");
        assertThat(Cli.run("reconcile", "--help").out()).contains("--backup=jsonl:DIR", "--to=STORE");
        assertThat(Cli.run("schema", "rollback", "--help").out()).contains("--count=N", "STORE");
        assertThat(Cli.run("log", "--help").out()).contains("--store=STORE", "--backup=jsonl:DIR",
                "git                --event-type --repo --branch --commit-hash",
                "tool_use           --tool-name --tool-type --success");
        assertThat(Cli.run("--help").exitCode()).isZero();
    }
}
