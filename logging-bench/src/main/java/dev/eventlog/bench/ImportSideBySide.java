package dev.eventlog.bench;

import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.sqlite.SqliteEventStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The import side by side ({@code -Dbench=import}): every contender loads the same generated
 * legacy routing lines, each into a fresh database, as whole processes, one after the other in one
 * run, and one table of rows/s and ratios is printed.
 *
 * <p>Contenders: {@code eventlog import} into SQLite and PostgreSQL and {@code eventlog copy}
 * SQLite → PostgreSQL (the command's runnable jar through {@code bin/eventlog} with its JVM options,
 * content check and resume on, as users run it), and the SQLite import once more on the client
 * compiler alone ({@code EVENTLOG_JAVA_OPTS}, as the launcher ran it before), so the compiler choice is
 * measured in the same run; the engines' own limits — SQLite's {@code INSERT … SELECT} of the same rows into the same table
 * and indexes, and {@code psql \copy} (CSV) of the same rows into the same table and indexes; and
 * what a user would pick instead — {@code sqlite-utils insert --nl}, a seed-style Python backfill
 * ({@code json} + {@code executemany} into the same table) and {@code pgloader} (SQLite →
 * PostgreSQL). A peer whose program is missing is skipped with a note; install them with
 * {@code apt-get install -y sqlite-utils pgloader python3 postgresql-client}. The same run then
 * measures the async append into SQLite against Logback's and Log4j2's JDBC appenders and the
 * engine's {@code INSERT … SELECT} (as {@code -Dbench=side-by-side} does, best of
 * {@code bench.rounds}), so that every goal's ratio is in the one table, with the goal beside it.
 * The machine's cores and its load average before and after the run are printed with the table.
 *
 * <p>Jobs: {@code bench.importJobs}, a comma-separated subset of {@code sqlite,c1,postgres,async} (all
 * four by default): the SQLite rows, the same import on the client compiler alone, the PostgreSQL
 * rows (import and copy, {@code psql \copy}, pgloader) and the async append's rows; the import into
 * SQLite always runs, as the copy's source.
 *
 * <p>Sizes: {@code bench.importLines} (1 000 000), {@code bench.asyncEvents} (200 000),
 * {@code bench.peerEvents} (20 000). PostgreSQL: {@code EVENTLOG_BENCH_PG_URL}
 * (default the local server); the run makes and drops its own schemas and one scratch database.
 */
final class ImportSideBySide {
    /** The launcher's import options on the client compiler alone (what {@code bin/eventlog} ran before). */
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms96m -Xmn64m";
    private static final String PG_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final Path work;
    private final Path jar;
    private final String pgUrl;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();

    private ImportSideBySide(Path work, Path jar, String pgUrl) {
        this.work = work;
        this.jar = jar;
        this.pgUrl = pgUrl;
    }

    static void run() throws Exception {
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath();
        Path jar = root.resolve("logging-cli/target/eventlog.jar");
        if (!Files.isRegularFile(jar)) {
            jar = root.getParent().resolve("logging-cli/target/eventlog.jar");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("logging-cli/target/eventlog.jar is missing: build it with "
                    + "'mvn -B -pl logging-bench -am package -DskipTests'");
        }
        Path work = Files.createTempDirectory("eventlog-import-bench");
        ImportSideBySide bench = new ImportSideBySide(work, jar,
                System.getenv().getOrDefault("EVENTLOG_BENCH_PG_URL", PG_DEFAULT));
        try {
            bench.runAll(Integer.getInteger("bench.importLines", 1_000_000),
                    System.getProperty("bench.importJobs", "sqlite,c1,postgres,async"));
        } finally {
            bench.dropSchemas();
            SideBySide.deleteTree(work);
        }
    }

    private void runAll(int lines, String jobs) throws Exception {
        String loadBefore = SideBySide.loadAverage();
        Path input = work.resolve("routing-metrics.jsonl");
        long bytes = generate(input, lines);
        System.out.printf(Locale.ROOT, "%,d legacy routing lines, %,d MB, in %s%n", lines, bytes >> 20, input);

        // SQLite (the import into SQLite is the copy's source, so it runs whichever jobs are asked)
        Path eventlogDb = work.resolve("eventlog.db");
        double eventlogSqlite = timed("eventlog import → SQLite", lines,
                List.of(launcher(), "import", "--no-progress", "--to", "sqlite:" + eventlogDb,
                        input.toString()));
        if (jobs.contains("sqlite")) {
            sqlitePeers(input, eventlogDb, eventlogSqlite, lines, jobs.contains("c1"));
        }

        // PostgreSQL
        if (!jobs.contains("postgres")) {
            System.out.println("bench.importJobs has no 'postgres': PostgreSQL rows not run");
        } else if (!pgReachable()) {
            System.out.println("PostgreSQL at " + pgUrl.replaceAll("password=[^&]*", "password=***")
                    + " not reachable: PostgreSQL rows not run");
        } else {
            String importSchema = newSchema();
            double eventlogPg = timed("eventlog import → PostgreSQL", lines,
                    List.of(launcher(), "import", "--no-progress", "--to",
                            url(importSchema), input.toString()));
            double psqlCopy = program("psql") ? psqlCopy(importSchema, lines) : Double.NaN;
            row("JSONL → PostgreSQL", eventlogPg, "psql \\copy CSV into the same table (engine limit)", psqlCopy,
                    "≥ 0.8×");

            String copySchema = newSchema();
            double eventlogCopy = timed("eventlog copy SQLite → PostgreSQL", lines,
                    List.of(launcher(), "copy", "--no-progress", "--from",
                            "sqlite:" + eventlogDb, "--to", url(copySchema)));
            double pgloader = program("pgloader") ? pgloader(eventlogDb, lines) : Double.NaN;
            row("SQLite → PostgreSQL (copy)", eventlogCopy, "pgloader (its own tables)", pgloader, "≥ 2×");
            row("SQLite → PostgreSQL (copy)", eventlogCopy, "psql \\copy CSV into the same table (engine limit)",
                    psqlCopy, "≥ 0.8×");
        }

        if (jobs.contains("async")) {
            asyncAppend();
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%d cores, %s, Java %s; load average before %s, after %s%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("java.version"), loadBefore, SideBySide.loadAverage());
        System.out.println("| job | eventlog rows/s | compared with | their rows/s | ratio | goal |");
        System.out.println("|---|---:|---|---:|---:|---|");
        for (String[] row : rows) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
    }

    /** The SQLite rows: the same import on C1 alone, the engine's {@code INSERT … SELECT} and the peers. */
    private void sqlitePeers(Path input, Path eventlogDb, double eventlogSqlite, int lines, boolean c1)
            throws Exception {
        // The same import on the client compiler alone, which the launcher used before: the
        // compiler choice measured in the same run as everything else.
        double eventlogSqliteC1 = !c1 ? Double.NaN : timed("eventlog import → SQLite, C1 only", lines,
                List.of(launcher(), "import", "--no-progress", "--to", "sqlite:" + work.resolve("eventlog-c1.db"),
                        input.toString()), Map.of("EVENTLOG_JAVA_OPTS", C1_ONLY));
        double insertSelect = sqliteInsertSelect(eventlogDb, lines);
        double sqliteUtils = program("sqlite-utils") ? timed("sqlite-utils insert --nl", lines,
                List.of("sqlite-utils", "insert", work.resolve("sqlite-utils.db").toString(), "routing",
                        input.toString(), "--nl")) : Double.NaN;
        double python = program("python3") ? pythonSeed(input, lines) : Double.NaN;
        row("JSONL → SQLite", eventlogSqlite, "SQLite INSERT … SELECT (engine limit)", insertSelect, "≥ 0.5×");
        row("JSONL → SQLite", eventlogSqlite, "sqlite-utils insert --nl", sqliteUtils, "≥ 5×");
        row("JSONL → SQLite", eventlogSqlite, "seed-style Python (json + executemany)", python, "");
        if (c1) {
            row("JSONL → SQLite", eventlogSqlite, "the same import on C1 only (" + C1_ONLY + ")", eventlogSqliteC1, "");
        }
    }

    /**
     * The async append into SQLite ({@code BLOCK}, until the last event is committed) against the
     * peers given the same batch size and the engine's {@code INSERT … SELECT} of the same rows:
     * the rows {@link SideBySide} measures, best of {@code bench.rounds} (3) each.
     */
    private void asyncAppend() throws Exception {
        int asyncEvents = Integer.getInteger("bench.asyncEvents", 200_000);
        int peerEvents = Integer.getInteger("bench.peerEvents", 20_000);
        int[] targets = {0};
        java.util.function.Function<String, Target> sqlite = name -> Target.sqlite(work, name + "-" + targets[0]++);
        EventlogRuns.asyncThroughput(sqlite.apply("warm"), Workload.events(50_000));
        LogbackPeer.run(sqlite.apply("warm"), Workload.events(2_000));
        Log4jPeer.run(sqlite.apply("warm"), Workload.events(2_000), work);
        Target[] asyncTarget = new Target[1];
        double async = SideBySide.best(() -> {
            asyncTarget[0] = sqlite.apply("eventlog-async");
            EventlogRuns.Result result = EventlogRuns.asyncThroughput(asyncTarget[0], Workload.events(asyncEvents));
            if (result.stored() != asyncEvents) {
                throw new IllegalStateException("eventlog async stored " + result.stored() + " of " + asyncEvents);
            }
            return result.eventsPerSecond();
        });
        report("eventlog async → SQLite (best)", asyncEvents, asyncEvents / async);
        double insertSelect = SideBySide.best(() -> RawJdbc.insertSelect(asyncTarget[0], sqlite.apply("insert-select")));
        report("SQLite INSERT … SELECT (best)", asyncEvents, asyncEvents / insertSelect);
        double logback = SideBySide.best(() -> LogbackPeer.run(sqlite.apply("logback"), Workload.events(peerEvents)));
        report("Logback DBAppender (best)", peerEvents, peerEvents / logback);
        double log4j = SideBySide.best(() -> Log4jPeer.run(sqlite.apply("log4j2"), Workload.events(peerEvents), work));
        report("Log4j2 JDBC appender (best)", peerEvents, peerEvents / log4j);
        String job = "async append → SQLite (tool_use)";
        row(job, async, "SQLite INSERT … SELECT of the same rows (engine limit)", insertSelect, "≥ 0.7×");
        row(job, async, "Log4j2 JDBC appender (bufferSize " + EventlogRuns.BATCH + ", the same batch)", log4j, "≥ 5×");
        row(job, async, "Logback DBAppender (AsyncAppender, no discarding)", logback, "");
    }


    /** Writes {@code lines} legacy routing lines as older hooks wrote them (aliases, epoch seconds). */
    static long generate(Path file, int lines) throws IOException {
        Random random = new Random(42);
        String[] models = {"haiku", "sonnet", "opus"};
        long t0 = 1_767_225_600L;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                String predicted = models[random.nextInt(3)];
                String actual = random.nextInt(4) == 0 ? models[random.nextInt(3)] : predicted;
                out.write(String.format(Locale.ROOT, "{\"ts\": %d.%03d, \"query_id\": \"q-%08d\", \"predicted\": \"%s\","
                        + " \"actual\": \"%s\", \"dq\": %.4f, \"complexity\": %.4f, \"correct\": %s, \"savings\": %.5f,"
                        + " \"reasoning\": \"complexity %d of 10: routed by the keyword and length heuristics\","
                        + " \"query\": \"how do I fix the failing build in module %d of the service?\"}%n",
                        t0 + i / 10, random.nextInt(1000), i, predicted, actual, random.nextDouble(),
                        random.nextDouble(), predicted.equals(actual), random.nextDouble() / 10, random.nextInt(10),
                        random.nextInt(50)));
            }
        }
        return Files.size(file);
    }

    private double sqliteInsertSelect(Path filled, int lines) throws SQLException {
        Path copy = work.resolve("insert-select.db");
        SqliteEventStore.open(copy).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + copy);
                Statement statement = connection.createStatement()) {
            statement.execute("ATTACH DATABASE '" + filled + "' AS src");
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            int copied = statement.executeUpdate(
                    "INSERT INTO routing_metrics_events SELECT * FROM src.routing_metrics_events");
            connection.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            report("SQLite INSERT … SELECT", copied, seconds);
            return copied / seconds;
        }
    }

    private double pythonSeed(Path input, int lines) throws Exception {
        Path db = work.resolve("python.db");
        SqliteEventStore.open(db).close();
        Path script = work.resolve("seed.py");
        Files.writeString(script, """
                import json, sqlite3, sys, uuid
                db = sqlite3.connect(sys.argv[1])
                sql = ('INSERT OR IGNORE INTO routing_metrics_events (id, ts, session_id, source, attributes, query_id,'
                       ' predicted_model, actual_model, dq_score, complexity, accuracy, cost_saved, reasoning, query_text)'
                       ' VALUES (?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
                rows = []
                with open(sys.argv[2], encoding='utf-8') as f:
                    for line in f:
                        o = json.loads(line)
                        rows.append((str(uuid.uuid4()), int(o['ts'] * 1000), '{}', o.get('query_id'), o.get('predicted'),
                                     o.get('actual'), o.get('dq'), o.get('complexity'), 1 if o.get('correct') else 0,
                                     o.get('savings'), o.get('reasoning'), o.get('query')))
                        if len(rows) >= 5000:
                            db.executemany(sql, rows)
                            rows = []
                db.executemany(sql, rows)
                db.commit()
                """);
        return timed("seed-style Python", lines, List.of("python3", script.toString(), db.toString(), input.toString()));
    }

    private double psqlCopy(String filledSchema, int lines) throws Exception {
        Path csv = work.resolve("rows.csv");
        String conninfo = conninfo();
        exec(List.of("psql", conninfo, "-q", "-c", "\\copy " + filledSchema
                + ".routing_metrics_events TO '" + csv + "' CSV"));
        String target = newSchema();
        PostgresEventStore.open(url(target)).close();
        return timed("psql \\copy", lines, List.of("psql", conninfo, "-q", "-c", "\\copy " + target
                + ".routing_metrics_events FROM '" + csv + "' CSV"));
    }

    private double pgloader(Path sqlite, int lines) throws Exception {
        String database = "eventlog_bench_pgloader";
        try (Connection admin = DriverManager.getConnection(pgUrl); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
            statement.execute("CREATE DATABASE " + database);
        }
        try {
            Path load = work.resolve("pgloader.load");
            Files.writeString(load, "LOAD DATABASE FROM sqlite://" + sqlite + "\n  INTO " + pgloaderTarget(database)
                    + "\n  WITH include drop, create tables, create no indexes, reset no sequences\n"
                    + "  INCLUDING ONLY TABLE NAMES LIKE 'routing_metrics_events';\n");
            return timed("pgloader", lines, List.of("pgloader", "--quiet", load.toString()));
        } finally {
            try (Connection admin = DriverManager.getConnection(pgUrl); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    private double timed(String name, int lines, List<String> command) throws Exception {
        return timed(name, lines, command, Map.of());
    }

    private double timed(String name, int lines, List<String> command, Map<String, String> env) throws Exception {
        long start = System.nanoTime();
        exec(command, env);
        double seconds = (System.nanoTime() - start) / 1e9;
        report(name, lines, seconds);
        return lines / seconds;
    }

    /** {@code bin/eventlog} beside the jar's module: the imports run with the launcher's JVM options. */
    private String launcher() {
        return jar.getParent().getParent().getParent().resolve("bin/eventlog").toString();
    }

    private static void report(String name, long rows, double seconds) {
        System.out.printf(Locale.ROOT, "%-40s %,10d rows in %7.2f s = %,9.0f rows/s%n", name, rows, seconds,
                rows / seconds);
    }

    private void exec(List<String> command) throws Exception {
        exec(command, Map.of());
    }

    private void exec(List<String> command, Map<String, String> env) throws Exception {
        Path log = work.resolve("last-command.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.HOURS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish");
        }
        // eventlog import exits 1 when it rejected lines; these inputs have none, so only 0 is success.
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command).replaceAll("password=[^& ]*", "password=***")
                    + " exited " + process.exitValue() + ":\n" + Files.readString(log));
        }
    }

    private void row(String job, double eventlog, String peer, double theirs, String goal) {
        rows.add(new String[] {job, String.format(Locale.ROOT, "%,.0f", eventlog), peer,
                Double.isNaN(theirs) ? "not installed" : String.format(Locale.ROOT, "%,.0f", theirs),
                Double.isNaN(theirs) ? "" : String.format(Locale.ROOT, "%.2f×", eventlog / theirs), goal});
    }

    private static boolean program(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        System.out.println(name + " is not installed: its row is skipped");
        return false;
    }

    private boolean pgReachable() {
        try (Connection connection = DriverManager.getConnection(pgUrl)) {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private String newSchema() throws SQLException {
        String name = "eventlog_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection connection = DriverManager.getConnection(pgUrl);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        }
        schemas.add(name);
        return name;
    }

    private void dropSchemas() {
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(pgUrl);
                Statement statement = connection.createStatement()) {
            for (String schema : schemas) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } catch (SQLException e) {
            System.out.println("could not drop the bench schemas " + schemas + ": " + e.getMessage());
        }
    }

    private String url(String schema) {
        return pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The libpq connection string of the JDBC URL, for psql. */
    private String conninfo() throws SQLException {
        try (Connection connection = DriverManager.getConnection(pgUrl);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_user, current_database(),"
                        + " coalesce(inet_server_addr()::text, 'localhost'), inet_server_port()")) {
            rows.next();
            return "postgresql://" + rows.getString(1) + "@" + rows.getString(3).replaceAll("/\\d+$", "") + ":"
                    + rows.getInt(4) + "/" + rows.getString(2);
        }
    }

    private String pgloaderTarget(String database) throws SQLException {
        String conninfo = conninfo();
        return conninfo.substring(0, conninfo.lastIndexOf('/') + 1) + database;
    }
}
