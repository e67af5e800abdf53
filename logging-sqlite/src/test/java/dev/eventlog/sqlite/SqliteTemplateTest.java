package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.EventKind;
import dev.eventlog.jdbc.SchemaMigrator;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new store is a copy of the template the build made with Liquibase: it has exactly the schema
 * and change set history that running Liquibase on a new file gives, Liquibase agrees with it,
 * and creating one store from many threads at once yields one file that every opener uses.
 */
class SqliteTemplateTest {
    private static final String SCHEMA = "SELECT type || ' ' || name || ' ' || tbl_name || ': ' || coalesce(sql, '')"
            + " FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
    private static final String HISTORY = "SELECT id || ' ' || author || ' ' || filename || ' ' || md5sum || ' '"
            + " || orderexecuted || ' ' || exectype || ' ' || coalesce(description, '') FROM databasechangelog"
            + " ORDER BY orderexecuted";

    @TempDir
    Path dir;

    private static List<String> query(Path db, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private Path templateCopy() throws Exception {
        Path copy = dir.resolve("template-resource.db");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SqliteTemplate.RESOURCE)) {
            assertThat(in).as("the build puts the template on the class path").isNotNull();
            Files.copy(in, copy);
        }
        return copy;
    }

    @Test
    void aStoreCreatedFromTheTemplateHasTheSchemaAndHistoryLiquibaseGives() throws Exception {
        Path fromTemplate = dir.resolve("template.db");
        Path byLiquibase = dir.resolve("liquibase.db");
        SqliteEventStore.open(fromTemplate).close();
        SqliteEventStore.open(byLiquibase, SqliteOptions.DEFAULT, false).close();

        List<String> templateSchema = query(fromTemplate, SCHEMA);
        List<String> liquibaseSchema = query(byLiquibase, SCHEMA);
        List<String> templateHistory = query(fromTemplate, HISTORY);
        List<String> liquibaseHistory = query(byLiquibase, HISTORY);
        String templateDeployment = query(fromTemplate, "SELECT DISTINCT deployment_id FROM databasechangelog").get(0);
        String resourceDeployment = query(templateCopy(), "SELECT DISTINCT deployment_id FROM databasechangelog").get(0);
        String liquibaseDeployment = query(byLiquibase, "SELECT DISTINCT deployment_id FROM databasechangelog").get(0);
        System.out.printf("[sqlite template] schema objects template=%d liquibase=%d; change sets template=%d"
                + " liquibase=%d; deployment ids template=%s resource=%s liquibase=%s%n", templateSchema.size(),
                liquibaseSchema.size(), templateHistory.size(), liquibaseHistory.size(), templateDeployment,
                resourceDeployment, liquibaseDeployment);

        assertThat(templateSchema).isNotEmpty().containsExactlyElementsOf(liquibaseSchema);
        assertThat(templateHistory).isNotEmpty().containsExactlyElementsOf(liquibaseHistory);
        // The new store really is the template's copy, not a second Liquibase run.
        assertThat(templateDeployment).isEqualTo(resourceDeployment).isNotEqualTo(liquibaseDeployment);
    }

    @Test
    void theTemplateIsAWholeDatabaseInWalModeWithoutAWalFile() throws Exception {
        Path copy = templateCopy();
        byte[] header = new byte[20];
        try (InputStream in = Files.newInputStream(copy)) {
            assertThat(in.readNBytes(header, 0, header.length)).isEqualTo(header.length);
        }
        // Bytes 18 and 19 of a SQLite file are its write and read format versions, 2 in WAL mode:
        // a new store is in WAL mode from the start, and its first open changes no journal mode.
        assertThat(new byte[] {header[18], header[19]}).containsExactly(2, 2);
        assertThat(Path.of(copy + "-wal")).doesNotExist();
        assertThat(query(copy, "PRAGMA integrity_check")).containsExactly("ok");
        assertThat(query(copy, "PRAGMA journal_mode")).containsExactly("wal");
        // Complete without its WAL: the whole change set history is in the file itself.
        assertThat(query(copy, "SELECT author || ':' || id FROM databasechangelog ORDER BY orderexecuted"))
                .isNotEmpty()
                .containsExactlyElementsOf(new SchemaMigrator(SqliteEventStore.CHANGELOG, "template", null).expected());
    }

    @Test
    void liquibaseValidatesUpdatesAndRollsBackAStoreCreatedFromTheTemplate() throws Exception {
        Path db = dir.resolve("events.db");
        SqliteEventStore.open(db).close();
        List<String> unrun;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(SqliteEventStore.CHANGELOG, new ClassLoaderResourceAccessor(), database);
            liquibase.validate();
            unrun = liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression()).stream()
                    .map(changeSet -> changeSet.getId()).toList();
        }
        try (SqliteEventStore store = SqliteEventStore.open(db)) {
            int applied = store.appliedChangeSets().size();
            store.updateSchema();
            List<String> rolledBack = store.rollbackSchema(1, false);
            List<String> pendingAfterRollback = store.pendingChangeSets();
            store.updateSchema();
            int stored = store.append(SampleEvents.everyKind());
            System.out.printf("[sqlite template liquibase] validate ok, unrun=%d applied=%d rolled back=%s"
                    + " pending after rollback=%s pending after update=%d stored=%d%n", unrun.size(), applied,
                    rolledBack, pendingAfterRollback, store.pendingChangeSets().size(), stored);
            assertThat(unrun).isEmpty();
            assertThat(store.unknownChangeSets()).isEmpty();
            assertThat(rolledBack).hasSize(1);
            assertThat(pendingAfterRollback).isEqualTo(rolledBack);
            assertThat(store.pendingChangeSets()).isEmpty();
            assertThat(store.appliedChangeSets()).hasSize(applied);
            assertThat(stored).isEqualTo(10);
        }
    }

    @Test
    void manyThreadsCreatingOneStoreAtOnceShareOneFileOwnerOnlyWithNoTemporaryFileLeft() throws Exception {
        int threads = 8;
        Path db = dir.resolve("nested").resolve("events.db");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> stored = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                stored.add(pool.submit(() -> {
                    start.await();
                    try (SqliteEventStore store = SqliteEventStore.open(db)) {
                        return store.append(SampleEvents.activities(1, SampleEvents.T0));
                    }
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> one : stored) {
                total += one.get();
            }
            long rows;
            try (SqliteEventStore store = SqliteEventStore.open(db)) {
                rows = store.count(EventQuery.all()).values().stream().mapToLong(Long::longValue).sum();
            }
            List<String> left;
            try (Stream<Path> files = Files.list(db.getParent())) {
                left = files.map(file -> file.getFileName().toString()).sorted().toList();
            }
            System.out.printf("[sqlite template race] threads=%d stored=%d rows=%d files=%s%n", threads, total,
                    rows, left);
            assertThat(total).isEqualTo(threads);
            assertThat(rows).isEqualTo(threads);
            assertThat(left).allMatch(name -> name.startsWith("events.db"));
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
