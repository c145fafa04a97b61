package io.msf.settings;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A component's configuration annotation whose values name their key when they cannot be read.
 *
 * <p>SCR converts a configuration value to its member's type only when the member is called, and a
 * value it cannot convert (a word where a number belongs, set through Config Admin past the config
 * gate) then throws its ComponentException, which names no key, out of the component's constructor
 * or modified method: the component fails, or keeps settings nobody was told about. A key set to
 * an empty list reaches a member that takes one value as null, and fails it later, as a
 * NullPointerException naming no key either. Through
 * {@link #naming} the member throws an IllegalArgumentException naming the key instead, which the
 * component refuses as any other bad value, keeping the settings in force.
 */
public final class ConfigValues {

    /** A value SCR could not convert, or none, named by its key; an IllegalArgumentException as any other bad value. */
    public static final class UnreadableValueException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnreadableValueException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ConfigValues() {
    }

    /**
     * {@code config} as it is, except that a member whose value cannot be converted throws an
     * {@link UnreadableValueException}: {@code "<key>: the value cannot be read as <type> (<SCR's reason>)"};
     * and one with a default that has no value, a key set to an empty list where one value belongs,
     * which SCR hands over as null: {@code "<key>: no value (it is set to an empty list)"}.
     *
     * @param type the configuration annotation
     */
    public static <A> A naming(Class<A> type, A config) {
        return naming(type, config, "");
    }

    /**
     * The same, the message starting with {@code owner} (a PID, say) and a colon:
     * {@code "<owner>: <key>: the value cannot be read as ..."}.
     */
    public static <A> A naming(Class<A> type, A config, String owner) {
        Objects.requireNonNull(config, "config");
        String prefix = owner.isEmpty() ? "" : owner + ": ";
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, member, args) -> {
            boolean readsAKey = member.getDeclaringClass() == type && member.getParameterCount() == 0;
            Object read;
            try {
                member.setAccessible(true); // the annotation is package-private, in the component's own package
                read = member.invoke(config, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                // one already named (a configuration read through this twice) is not named again
                if (cause instanceof RuntimeException && !(cause instanceof UnreadableValueException) && readsAKey) {
                    throw new UnreadableValueException(prefix + key(member) + ": the value cannot be read as "
                            + kind(member.getReturnType()) + " (" + cause.getMessage() + ")", cause);
                }
                throw cause;
            }
            if (read == null && readsAKey && member.getDefaultValue() != null) {
                // SCR's value for a key set to an empty list where one value belongs (a key it does not have
                // reads as the member's default): refused here, not a NullPointerException later. A member
                // without a default is null while its key is missing, which the component tells itself.
                throw new UnreadableValueException(prefix + key(member) + ": no value (it is set to an empty list)",
                        null);
            }
            return read;
        }));
    }

    /** The property a member reads, by the rules of Declarative Services (112.8.2.1). */
    static String key(Method member) {
        String name = member.getName();
        StringBuilder key = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '$') {
                if (name.startsWith("$$", i)) {
                    key.append('$');
                    i++;
                } else if (name.startsWith("$_$", i)) {
                    key.append('-');
                    i += 2;
                }
                // a lone '$' is dropped
            } else if (c == '_') {
                if (name.startsWith("__", i)) {
                    key.append('_');
                    i++;
                } else {
                    key.append('.');
                }
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    /**
     * {@code value} if it lies in {@code min..max}; else an IllegalArgumentException
     * {@code "<owner>: <key> must be in <min>..<max>, not <value>"}. For a bound of the Metatype,
     * checked again: a value set through Config Admin directly never met it.
     */
    public static int within(String owner, String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(owner + ": " + key + " must be in " + min + ".." + max + ", not " + value);
        }
        return value;
    }

    private static String kind(Class<?> type) {
        if (type.isArray()) {
            return "a list whose values are each " + kind(type.getComponentType());
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type.isPrimitive() && type != char.class) {
            return "a number";
        }
        return "a " + type.getSimpleName();
    }
}
