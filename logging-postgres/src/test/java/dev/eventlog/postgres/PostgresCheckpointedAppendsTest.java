package dev.eventlog.postgres;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.CheckpointedAppendsContractTest;
import dev.eventlog.testkit.TestDatabase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checkpoints committed with their batch in a real PostgreSQL schema. */
class PostgresCheckpointedAppendsTest extends CheckpointedAppendsContractTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private final Map<EventStore, String> schemas = new ConcurrentHashMap<>();

    @Override
    protected EventStore newStore() {
        String schema = db.newSchemaName();
        EventStore store = PostgresEventStore.open(db.url(schema));
        schemas.put(store, schema);
        return store;
    }

    @Override
    protected void refuse(EventStore store, String table, String column, String value) {
        String schema = schemas.get(store);
        db.execute("CREATE FUNCTION " + schema + ".refuse_" + table + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW." + column + " = '" + value + "' THEN RAISE EXCEPTION 'refused by the test'; END IF;"
                + " RETURN NEW; END $$",
                "CREATE TRIGGER refuse_" + table + " BEFORE INSERT ON " + schema + "." + table
                        + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".refuse_" + table + "()");
    }
}
