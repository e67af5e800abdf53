package dev.eventlog;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The column and JSON key of an event record's component when it is not the component's name in
 * snake_case: {@link CustomEvent#name()} is the {@code kind} column, because a record cannot have
 * a {@code kind} component beside {@link Event#kind()}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
@interface FieldName {
    /** The snake_case column and JSON key. */
    String value();
}
