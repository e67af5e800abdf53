package dev.eventlog;

import java.util.List;

/**
 * One typed field of an event kind: its snake_case name, which is both the column name in the
 * SQL stores and the key in JSONL files, and its value type. Derived from a component of the
 * kind's record (see {@link EventKind#fields()}).
 *
 * @param name snake_case column and JSON key
 * @param type the value type
 */
public record EventField(String name, Type type) {

    /** The value types a typed field can hold; every one may be {@code null}. */
    public enum Type {
        /** {@link String}. */
        TEXT(String.class),
        /** {@link Long}. */
        INTEGER(Long.class),
        /** {@link Double}, always finite. */
        REAL(Double.class),
        /** {@link Boolean}. */
        BOOLEAN(Boolean.class),
        /** {@code List<String>}, stored as a JSON array. */
        TEXT_LIST(List.class);

        private final Class<?> javaType;

        Type(Class<?> javaType) {
            this.javaType = javaType;
        }

        /** The Java type of a non-null value of this type. */
        public Class<?> javaType() {
            return javaType;
        }
    }
}
