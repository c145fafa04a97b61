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
 * or modified method: the component fails, or keeps settings nobody was told about. Through
 * {@link #naming} the member throws an IllegalArgumentException naming the key instead, which the
 * component refuses as any other bad value, keeping the settings in force.
 */
public final class ConfigValues {

    /** A value SCR could not convert, named by its key; an IllegalArgumentException as any other bad value. */
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
     * {@link UnreadableValueException}: {@code "<key>: the value cannot be read as <type> (<SCR's reason>)"}.
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
            try {
                member.setAccessible(true); // the annotation is package-private, in the component's own package
                return member.invoke(config, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException && member.getDeclaringClass() == type
                        && member.getParameterCount() == 0) {
                    throw new UnreadableValueException(prefix + key(member) + ": the value cannot be read as "
                            + kind(member.getReturnType()) + " (" + cause.getMessage() + ")", cause);
                }
                throw cause;
            }
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
