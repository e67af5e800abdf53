package dev.eventlog.migrate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.internal.json.Json;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.RejectedLineException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One table of a database eventlog does not own, read row by row as if each row were a JSON line:
 * column name to key, the SQL value to the JSON value a line would hold (text to a string, an
 * integer or real to a number, a boolean to a boolean, NULL to no key), in the table's natural
 * order (SQLite's rowid, else the primary key), so that a second read yields the same rows in the
 * same order. Not thread-safe.
 *
 * @param name the table's name as the database spells it
 * @param primaryKey the primary key's columns in key order, empty when it has none
 */
record ForeignTable(String name, List<String> primaryKey) {
    /** The label of the extra column that carries SQLite's rowid; never a key of the row. */
    private static final String ROWID_LABEL = "eventlog_rowid_";
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    // Read as a line's values are: decimals exact, nothing after the value.
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The base tables of the connection's database (SQLite) or current schema (others), in name order. */
    static List<ForeignTable> list(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = isSqlite(connection) ? null : connection.getSchema();
        if (schema == null && !isSqlite(connection)) {
            throw new SQLException("no current schema: the URL's currentSchema (or the search path) names no "
                    + "schema of the database");
        }
        List<ForeignTable> tables = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (ResultSet rows = meta.getTables(connection.getCatalog(), schema, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                String name = rows.getString("TABLE_NAME");
                if (!name.toLowerCase(Locale.ROOT).startsWith("sqlite_")) {
                    names.add(name);
                }
            }
        }
        names.sort(String.CASE_INSENSITIVE_ORDER);
        for (String name : names) {
            List<String> key = new ArrayList<>();
            List<Short> positions = new ArrayList<>();
            try (ResultSet rows = meta.getPrimaryKeys(connection.getCatalog(), schema, name)) {
                while (rows.next()) {
                    key.add(rows.getString("COLUMN_NAME"));
                    positions.add(rows.getShort("KEY_SEQ"));
                }
            }
            List<String> ordered = new ArrayList<>(key);
            for (int i = 0; i < key.size(); i++) {
                int position = positions.get(i) - 1;
                if (position >= 0 && position < key.size()) {
                    ordered.set(position, key.get(i));
                }
            }
            tables.add(new ForeignTable(name, List.copyOf(ordered)));
        }
        return tables;
    }

    /** Whether {@code connection} is to SQLite, whose tables are read in rowid order. */
    static boolean isSqlite(Connection connection) throws SQLException {
        return "SQLite".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
    }

    /** How many rows the table holds now, for the progress bar. */
    long count(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + quote(connection, name))) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * The query that reads every row in natural order, and whether its first column is SQLite's rowid.
     *
     * @param sql the query
     * @param rowid whether column 1 is the rowid (not part of the row)
     */
    record Select(String sql, boolean rowid) {
    }

    /** The query over this table: by rowid in SQLite (unless the table has none), else by primary key. */
    Select select(Connection connection) throws SQLException {
        String table = quote(connection, name);
        if (isSqlite(connection) && hasRowid(connection, table)) {
            return new Select("SELECT rowid AS " + ROWID_LABEL + ", * FROM " + table + " ORDER BY rowid", true);
        }
        if (primaryKey.isEmpty()) {
            return new Select("SELECT * FROM " + table, false);
        }
        List<String> columns = new ArrayList<>();
        for (String column : primaryKey) {
            columns.add(quote(connection, column));
        }
        return new Select("SELECT * FROM " + table + " ORDER BY " + String.join(", ", columns), false);
    }

    private static boolean hasRowid(Connection connection, String table) {
        try (var statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT rowid FROM " + table + " LIMIT 0")) {
            return true;
        } catch (SQLException withoutRowid) {
            // A WITHOUT ROWID table: it is read in primary key order instead.
            return false;
        }
    }

    /**
     * The label of the current row in messages and the quarantine: {@code rowid 12}, {@code id=q-3}
     * (the primary key's values) or {@code row 7 (read order: no primary key)}.
     */
    String label(ResultSet row, Select select, long number) throws SQLException {
        if (select.rowid()) {
            return "rowid " + row.getLong(1);
        }
        if (primaryKey.isEmpty()) {
            return "row " + number + " (read order: no primary key)";
        }
        List<String> parts = new ArrayList<>();
        for (String column : primaryKey) {
            parts.add(column + "=" + row.getString(column));
        }
        return String.join(", ", parts);
    }

    /**
     * The current row as the JSON object a legacy line with the same keys would be. A NULL column
     * is left out. Text in a column that names a list field (directly or by an alias) or the
     * {@code attributes} column is read as JSON when it is a JSON array or object, the way older
     * scripts stored lists in TEXT columns.
     *
     * @throws RejectedLineException when a column holds binary data, which no event field takes;
     *     {@code shown} then holds the row with that column described instead
     */
    static ObjectNode toJson(ResultSet row, Select select, EventKind kind, KeyAliases aliases, ObjectNode shown)
            throws SQLException, RejectedLineException {
        ResultSetMetaData meta = row.getMetaData();
        ObjectNode node = NODES.objectNode();
        String binary = null;
        for (int i = select.rowid() ? 2 : 1; i <= meta.getColumnCount(); i++) {
            String column = meta.getColumnLabel(i);
            Object value = row.getObject(i);
            if (value == null) {
                continue;
            }
            if (value instanceof byte[] bytes) {
                if (binary == null) {
                    binary = "column '" + column + "' holds binary data (" + bytes.length
                            + " bytes) but an event takes only text, numbers and booleans";
                }
                shown.put(column, "<binary, " + bytes.length + " bytes>");
                continue;
            }
            JsonNode json = value(row, i, meta.getColumnTypeName(i), value, wantsJson(kind, aliases, column));
            node.set(column, json);
            shown.set(column, json);
        }
        if (binary != null) {
            throw new RejectedLineException(binary);
        }
        return node;
    }

    /** {@code '['} for a column read as a text list, {@code '{'} for the attributes column, else 0. */
    private static char wantsJson(EventKind kind, KeyAliases aliases, String column) {
        if (column.equals("attributes") && kind.indexOf(column) < 0) {
            return '{';
        }
        int index = kind.indexOf(column);
        if (index < 0) {
            String field = aliases.fieldFor(kind, column);
            index = field == null ? -1 : kind.indexOf(field);
        }
        return index >= 0 && kind.fields().get(index).type() == EventField.Type.TEXT_LIST ? '[' : 0;
    }

    private static JsonNode value(ResultSet row, int column, String typeName, Object value, char json)
            throws SQLException {
        String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (value instanceof String text) {
            if ((json != 0 && text.strip().startsWith(String.valueOf(json))) || type.startsWith("json")) {
                JsonNode parsed = parse(text);
                if (parsed != null) {
                    return parsed;
                }
            }
            return NODES.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            // As a JSON line's number is read: exact decimal text, so 0.1 stays 0.1.
            return Double.isFinite(d) ? NODES.numberNode(new BigDecimal(value.toString())) : NODES.textNode(value.toString());
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            // timestamptz is an instant; a timestamp without zone is read as UTC, as ISO text without offset is.
            return NODES.textNode(type.contains("tz") ? row.getObject(column, OffsetDateTime.class).toString()
                    : timestamp.toLocalDateTime().toString());
        }
        if (value instanceof java.sql.Date date) {
            return NODES.textNode(date.toLocalDate().toString());
        }
        if (value instanceof Array array) {
            ArrayNode items = NODES.arrayNode();
            for (Object item : (Object[]) array.getArray()) {
                items.add(item == null ? NODES.nullNode() : NODES.textNode(item.toString()));
            }
            return items;
        }
        if (type.startsWith("json")) {
            JsonNode parsed = parse(value.toString());
            if (parsed != null) {
                return parsed;
            }
        }
        return NODES.textNode(value.toString());
    }

    private static JsonNode parse(String text) {
        try {
            return READER.readTree(text);
        } catch (IOException notJson) {
            // Left as text: the decoder then says why the field cannot take it.
            return null;
        }
    }

    private static String quote(Connection connection, String identifier) throws SQLException {
        String quote = connection.getMetaData().getIdentifierQuoteString();
        if (quote == null || quote.isBlank()) {
            quote = "\"";
        }
        return quote + identifier.replace(quote, quote + quote) + quote;
    }
}
