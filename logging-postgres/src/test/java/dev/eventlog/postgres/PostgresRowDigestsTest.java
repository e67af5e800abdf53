package dev.eventlog.postgres;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.RowDigestsContractTest;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The row digests of a real PostgreSQL schema, summed by the database, and the content check of an
 * import built on them; the schema is changed behind the store's back by the test's own connection.
 */
class PostgresRowDigestsTest extends RowDigestsContractTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private String schema;

    @Override
    protected EventStore openStore(Path dir) {
        schema = db.newSchemaName();
        return PostgresEventStore.open(db.url(schema));
    }

    @Override
    protected String table(String table) {
        return schema + "." + table;
    }

    @Override
    protected void execute(String sql) {
        db.execute(sql);
    }

    @Override
    protected void dropSilently(String table, String column, String value) {
        // Returning NULL from a BEFORE trigger skips the row, COPY's as well as an INSERT's.
        db.execute("CREATE FUNCTION " + schema + ".drop_" + table + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW." + column + " = '" + value + "' THEN RETURN NULL; END IF; RETURN NEW; END $$",
                "CREATE TRIGGER drop_" + table + " BEFORE INSERT ON " + schema + "." + table
                        + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".drop_" + table + "()");
    }
}
