package dev.eventlog;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The typed fields of one event record, derived once from its declaration: after the leading
 * {@code Envelope envelope} component, each component is one field, in declaration order, named by
 * its name in snake_case (or its {@link FieldName}) and typed by its Java type. Reading a field is
 * a plain call of the component's accessor (a lambda made once, no reflection per event); building
 * an event calls the canonical constructor reflectively for the first few events of the kind, then
 * through one method handle made once.
 *
 * <p>So a kind's columns, JSONL keys, the order stores bind them in and the way values reach the
 * record are all the record's own declaration: there is no second list to keep in step.
 *
 * <p>Immutable and thread-safe.
 */
final class RecordFields {
    private static final MethodType CONSTRUCTOR = MethodType.methodType(Event.class, Envelope.class, Object[].class);
    // Events of a kind built through reflection before its method handle is made: a process that builds
    // a few (a hook's 'eventlog log' builds one) does not generate the handle's classes.
    private static final int REFLECTIVE_CREATES = 8;

    private final Class<? extends Event> type;
    private final List<EventField> fields;
    private final Map<String, Integer> indexByName;
    private final Function<Event, Object>[] readers;
    private final MethodHandle canonical;
    private final Constructor<? extends Event> reflective;
    // The canonical constructor taking its field values as one array, made after the first
    // REFLECTIVE_CREATES events: spreading and adapting a handle generates seven classes, about a
    // twentieth of a hook's 'eventlog log' (JDK 17's reflection calls the constructor natively for
    // its first calls, generating nothing), while the handle is the faster call for an import's
    // millions of events. Racing threads make equal handles; the count need not be exact.
    private volatile MethodHandle constructor;
    private int reflectiveCreates;

    private RecordFields(Class<? extends Event> type, List<EventField> fields, Function<Event, Object>[] readers,
            MethodHandle canonical, Constructor<? extends Event> reflective) {
        this.type = type;
        this.fields = fields;
        this.readers = readers;
        this.canonical = canonical;
        this.reflective = reflective;
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            if (index.put(fields.get(i).name(), i) != null) {
                throw new IllegalStateException(type.getSimpleName() + " declares the field "
                        + fields.get(i).name() + " twice");
            }
        }
        this.indexByName = index;
    }

    /**
     * Derives the fields of {@code type}.
     *
     * @throws IllegalStateException when {@code type} is not a record whose first component is the
     *     envelope, or a component has a type no {@link EventField.Type} stores
     */
    static RecordFields of(Class<? extends Event> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null || components.length == 0 || components[0].getType() != Envelope.class
                || !components[0].getName().equals("envelope")) {
            throw new IllegalStateException(type.getName() + " must be a record whose first component is "
                    + "'Envelope envelope'");
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        List<EventField> fields = new ArrayList<>(components.length - 1);
        @SuppressWarnings("unchecked")
        Function<Event, Object>[] readers = new Function[components.length - 1];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        parameterTypes[0] = Envelope.class;
        try {
            for (int i = 1; i < components.length; i++) {
                RecordComponent component = components[i];
                fields.add(new EventField(columnName(component), fieldType(type, component)));
                readers[i - 1] = reader(lookup, type, component);
                parameterTypes[i] = component.getType();
            }
            MethodHandle canonical = lookup.findConstructor(type, MethodType.methodType(void.class, parameterTypes));
            return new RecordFields(type, Collections.unmodifiableList(fields), readers, canonical,
                    type.getDeclaredConstructor(parameterTypes));
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot derive the fields of " + type.getName() + ": " + e, e);
        }
    }

    /** The record type. */
    Class<? extends Event> type() {
        return type;
    }

    /** The typed fields in declaration (column) order; unmodifiable. */
    List<EventField> fields() {
        return fields;
    }

    /** The position of the field named {@code name}, or -1. */
    int indexOf(String name) {
        Integer index = indexByName.get(name);
        return index == null ? -1 : index;
    }

    /** The value of field {@code index} of {@code event}, which must be of this record type. */
    Object read(Event event, int index) {
        if (index < 0 || index >= readers.length) {
            throw new IndexOutOfBoundsException(index);
        }
        return readers[index].apply(event);
    }

    /**
     * A new record from an envelope and its field values in order.
     *
     * @throws ClassCastException when a value is not of its field's Java type
     */
    Event create(Envelope envelope, Object[] values) {
        MethodHandle spread = constructor;
        if (spread == null) {
            if (reflectiveCreates < REFLECTIVE_CREATES) {
                reflectiveCreates++;
                return createReflectively(envelope, values);
            }
            spread = canonical.asSpreader(Object[].class, fields.size()).asType(CONSTRUCTOR);
            constructor = spread;
        }
        try {
            return (Event) spread.invokeExact(envelope, values);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(type.getSimpleName() + " constructor failed: " + e, e);
        }
    }

    /** {@link #create} through reflection, failing as the method handle does. */
    private Event createReflectively(Envelope envelope, Object[] values) {
        if (values.length != fields.size()) {
            throw new IllegalArgumentException(type.getSimpleName() + " takes " + fields.size() + " values but got "
                    + values.length);
        }
        Object[] arguments = new Object[values.length + 1];
        arguments[0] = envelope;
        System.arraycopy(values, 0, arguments, 1, values.length);
        Class<?>[] parameterTypes = reflective.getParameterTypes();
        for (int i = 0; i < values.length; i++) {
            Class<?> javaType = parameterTypes[i + 1];
            if (values[i] != null && !javaType.isInstance(values[i])) {
                throw new ClassCastException("Cannot cast " + values[i].getClass().getName() + " to " + javaType.getName());
            }
        }
        try {
            return reflective.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw new IllegalStateException(type.getSimpleName() + " constructor failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + " constructor failed: " + e, e);
        }
    }

    /** {@code filesChanged} → {@code files_changed}, unless the component names its field. */
    static String columnName(RecordComponent component) {
        FieldName named = component.getAnnotation(FieldName.class);
        if (named != null) {
            return named.value();
        }
        String name = component.getName();
        StringBuilder snake = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString();
    }

    private static EventField.Type fieldType(Class<?> record, RecordComponent component) {
        Class<?> raw = component.getType();
        for (EventField.Type type : EventField.Type.values()) {
            if (type != EventField.Type.TEXT_LIST && type.javaType() == raw) {
                return type;
            }
        }
        Type generic = component.getGenericType();
        if (raw == List.class && generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] == String.class) {
            return EventField.Type.TEXT_LIST;
        }
        throw new IllegalStateException(record.getSimpleName() + "." + component.getName() + " is a "
                + generic.getTypeName() + " but a typed field must be String, Long, Double, Boolean or List<String>");
    }

    /** A lambda calling the component's accessor: as fast as a hand-written switch, made once. */
    @SuppressWarnings("unchecked")
    private static Function<Event, Object> reader(MethodHandles.Lookup lookup, Class<?> record,
            RecordComponent component) throws Throwable {
        MethodHandle accessor = lookup.unreflect(component.getAccessor());
        CallSite site = LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(Function.class),
                MethodType.methodType(Object.class, Object.class), accessor,
                MethodType.methodType(component.getType(), record));
        return (Function<Event, Object>) site.getTarget().invokeExact();
    }
}
