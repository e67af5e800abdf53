package dev.eventlog.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The contract between a SQL store's hand-written changelog and the event catalogue: every kind's
 * table has exactly the envelope columns and then the kind's declared fields ({@link
 * EventKind#fields()}, derived from the kind's record), in that order, each with the column type the
 * store gives that field type; and every kind's {@code *_view} shows each of those columns. The
 * changelogs stay hand-written (their checksums are recorded in users' databases), so this is what
 * keeps them and the records in step.
 *
 * <p>A SQL store's tests extend this class and say how to reach a migrated database and which
 * column types they use. Each check prints what it compared, and a failure lists every difference
 * at once, naming the table and the column.
 */
public abstract class SqlSchemaContractTest {
    /** The envelope columns every table starts with, in order. */
    public static final List<String> ENVELOPE_COLUMNS = List.of("id", "ts", "session_id", "source", "attributes");

    /**
     * A new connection to a database (or schema) that the store's changelog has been applied to,
     * in which the kinds' tables and views are reachable by {@link #relation(String) relation}.
     * The test closes it.
     */
    protected abstract Connection migratedDatabase() throws SQLException;

    /**
     * The type name the changelog gives a column of field type {@code type}, as the driver's
     * {@link ResultSetMetaData#getColumnTypeName(int)} reports it (compared case-insensitively),
     * e.g. {@code INTEGER} for {@link EventField.Type#BOOLEAN} in SQLite, {@code bool} in PostgreSQL.
     */
    protected abstract String columnType(EventField.Type type);

    /** The type names of the {@link #ENVELOPE_COLUMNS envelope columns}, in their order. */
    protected abstract List<String> envelopeColumnTypes();

    /** How SQL names the table or view {@code name}; by default the bare name. */
    protected String relation(String name) {
        return name;
    }

    @Test
    void everyKindsTableHasExactlyTheEnvelopeAndTheDeclaredColumnsWithTheirTypes() throws SQLException {
        List<String> differences;
        try (Connection connection = migratedDatabase()) {
            differences = tableDifferences(connection);
        }
        int columns = 0;
        for (EventKind kind : EventKind.values()) {
            columns += ENVELOPE_COLUMNS.size() + kind.fields().size();
        }
        System.out.println("tables checked: " + EventKind.values().length + ", columns: " + columns
                + ", differences: " + differences.size());
        assertThat(differences).as("the changelog's tables against the kinds' declarations").isEmpty();
    }

    @Test
    void everyKindsViewShowsEveryColumnOfItsTable() throws SQLException {
        List<String> differences = new ArrayList<>();
        try (Connection connection = migratedDatabase()) {
            for (EventKind kind : EventKind.values()) {
                Set<String> expected = new TreeSet<>(ENVELOPE_COLUMNS);
                kind.fields().forEach(field -> expected.add(field.name()));
                Set<String> actual = new TreeSet<>();
                for (Column column : columns(connection, kind.table() + "_view")) {
                    actual.add(column.name());
                }
                if (!actual.equals(expected)) {
                    differences.add(kind.table() + "_view shows " + actual + " but the table has " + expected);
                }
            }
        }
        System.out.println("views checked: " + EventKind.values().length + ", differences: " + differences.size());
        assertThat(differences).as("the changelog's views against the kinds' declarations").isEmpty();
    }

    /**
     * Every way the tables reachable through {@code connection} differ from the declarations, one
     * line each naming the table and column; empty when they agree. Public so that a store's tests
     * can show that a wrong table is caught.
     */
    public final List<String> tableDifferences(Connection connection) throws SQLException {
        List<String> differences = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            List<String> names = new ArrayList<>(ENVELOPE_COLUMNS);
            List<String> types = new ArrayList<>(envelopeColumnTypes());
            for (EventField field : kind.fields()) {
                names.add(field.name());
                types.add(columnType(field.type()));
            }
            List<Column> actual;
            try {
                actual = columns(connection, kind.table());
            } catch (SQLException e) {
                differences.add(kind.table() + " cannot be read: " + e.getMessage());
                continue;
            }
            for (int i = 0; i < Math.max(names.size(), actual.size()); i++) {
                String where = kind.table() + " column " + (i + 1);
                if (i >= actual.size()) {
                    differences.add(where + " is missing; the declaration has " + names.get(i) + " " + types.get(i));
                } else if (i >= names.size()) {
                    differences.add(where + " is " + actual.get(i) + ", which the declaration does not have");
                } else if (!actual.get(i).name().equals(names.get(i))) {
                    differences.add(where + " is " + actual.get(i) + " but the declaration has " + names.get(i)
                            + " " + types.get(i));
                } else if (!actual.get(i).type().equalsIgnoreCase(types.get(i))) {
                    differences.add(where + " (" + names.get(i) + ") is of type " + actual.get(i).type()
                            + " but the declaration's " + (i < ENVELOPE_COLUMNS.size() ? "envelope column"
                                    : kind.fields().get(i - ENVELOPE_COLUMNS.size()).type() + " field")
                            + " is stored as " + types.get(i));
                }
            }
        }
        return differences;
    }

    /** One column as the driver describes it. */
    private record Column(String name, String type) {
        @Override
        public String toString() {
            return name + " " + type;
        }
    }

    private List<Column> columns(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM " + relation(name) + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Column> columns = new ArrayList<>(meta.getColumnCount());
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(new Column(meta.getColumnName(i).toLowerCase(Locale.ROOT), meta.getColumnTypeName(i)));
            }
            return columns;
        }
    }
}
