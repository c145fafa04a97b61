package io.msf.event.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Builds a component-property type instance the way DS does: given values, defaults for the rest,
 * and strings (as .cfg files hold them) converted to the declared type. A RuntimeException given as
 * a value is thrown when its member is read, as SCR throws its ComponentException for a value that
 * does not convert to the member's type.
 */
final class TestConfigs {

    private TestConfigs() {
    }

    static <A> A of(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    return type.getSimpleName() + values;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    break;
            }
            Object value = values.getOrDefault(method.getName(), method.getDefaultValue());
            if (value instanceof RuntimeException) {
                throw (RuntimeException) value;
            }
            if (value instanceof String && method.getReturnType() == int.class) {
                return Integer.valueOf(((String) value).trim());
            }
            if (value instanceof String && method.getReturnType() == long.class) {
                return Long.valueOf(((String) value).trim());
            }
            return value;
        }));
    }
}
